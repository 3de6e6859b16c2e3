/** What the output directory already holds, read with the same loader `validate` and `plan` use. */
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { isDefaultsFileName, loadTree } from '../../core/load.js';

export interface ExistingTree {
  /** Meeting series id → the file (relative to the directory, `/` separators) first declaring it. */
  ids: Map<string, string>;
  /** Key → the file first declaring it: a file meetctl created the series of may hold no id. */
  keys: Map<string, string>;
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
  const out: ExistingTree = { ids: new Map(), keys: new Map(), documents: [], defaults: [], unreadable: [] };
  const read = new Set(loaded.files.map((f) => f.file));
  for (const source of loaded.files) {
    if (source.kind === 'defaults') {
      out.defaults.push(source.relPath);
      continue;
    }
    out.documents.push(source.relPath);
    const { id, key } = source.data as { id?: unknown; key?: unknown };
    if (typeof id === 'string' && !out.ids.has(id)) out.ids.set(id, source.relPath);
    if (typeof key === 'string' && !out.keys.has(key)) out.keys.set(key, source.relPath);
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

/**
 * Where `--defaults` may write the folder's defaults file, or why it may not. The file applies to
 * every meeting file in the folder and below, so each of them must be one this import rewrites,
 * and no nearer defaults file may stand between it and them. `rewritten`: relative paths.
 */
export function defaultsTarget(
  existing: ExistingTree,
  outDir: string,
  rewritten: ReadonlySet<string>,
  force: boolean,
): { ok: true; file: string } | { ok: false; message: string } {
  const shown = (rel: string) => join(outDir, rel);
  const own = existing.defaults.filter((f) => !f.includes('/'));
  if (own.length > 1) return { ok: false, message: `${own.map(shown).join(' and ')} compete: a folder may hold one defaults file` };
  if (own.length === 1 && !force) return { ok: false, message: `${shown(own[0])} already exists (use --force to overwrite it)` };
  const nearer = existing.defaults.find((f) => f.includes('/'));
  if (nearer !== undefined) return { ok: false, message: `${shown(nearer)} would override the shared values for the files below it` };
  const others = existing.documents.filter((f) => !rewritten.has(f));
  if (others.length > 0) {
    const more = others.length > 1 ? ` and ${others.length - 1} other file${others.length > 2 ? 's' : ''}` : '';
    return {
      ok: false,
      message: `${shown(others[0])}${more} would take the shared values too, but this import does not rewrite ${more ? 'them' : 'it'} (an existing file needs --force; a file of a series not imported stays as it is)`,
    };
  }
  return { ok: true, file: own[0] ?? 'defaults.yaml' };
}

/**
 * Defaults files in the folders above `dir`, up to the repository's root (the folder holding
 * `.git`) or the file system's: a plan of a folder above the import applies them to its files.
 */
export async function defaultsAbove(dir: string): Promise<string[]> {
  const found: string[] = [];
  let here = resolve(dir);
  for (let up = dirname(here); up !== here; here = up, up = dirname(up)) {
    const names = await readdir(up).catch(() => [] as string[]);
    for (const name of names.sort()) if (isDefaultsFileName(name)) found.push(join(up, name));
    if (names.includes('.git')) break;
  }
  return found;
}
