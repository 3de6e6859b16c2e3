/** What the output directory already holds, read with the same loader `validate` and `plan` use. */
import { relative, sep } from 'node:path';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { isDefaultsFileName, loadTree } from '../../core/load.js';

export interface ExistingTree {
  /** Meeting series id → the file (relative to the directory, `/` separators) first declaring it. */
  ids: Map<string, string>;
  /** Every meeting file found, readable or not, relative to the directory. */
  documents: string[];
  /** Every defaults file found, relative to the directory. */
  defaults: string[];
  /** One line per file the loader could not read: a series such a file declares is not recognised. */
  unreadable: string[];
}

function toRel(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/');
}

export async function readExisting(dir: string): Promise<ExistingTree> {
  const loaded = await loadTree(dir);
  const out: ExistingTree = { ids: new Map(), documents: [], defaults: [], unreadable: [] };
  const read = new Set(loaded.files.map((f) => f.file));
  for (const source of loaded.files) {
    if (source.kind === 'defaults') {
      out.defaults.push(source.relPath);
      continue;
    }
    out.documents.push(source.relPath);
    const id = (source.data as { id?: unknown }).id;
    if (typeof id === 'string' && !out.ids.has(id)) out.ids.set(id, source.relPath);
  }
  // A missing directory is an empty one here: import creates it.
  const failed = loaded.diagnostics.filter((d) => d.severity === 'error' && d.file !== undefined && d.file !== dir && !read.has(d.file));
  const seen = new Set<string>();
  for (const d of failed) {
    const rel = toRel(dir, d.file as string);
    if (seen.has(rel)) continue;
    seen.add(rel);
    out.unreadable.push(formatDiagnostic(d));
    if (isDefaultsFileName(rel.split('/').pop() ?? '')) out.defaults.push(rel);
    else out.documents.push(rel);
  }
  return out;
}
