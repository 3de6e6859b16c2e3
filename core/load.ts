/**
 * Loading a desired-state tree: find the YAML files under a directory, parse them with source
 * positions, and merge the defaults hierarchy. Generic: nothing here knows what a meeting is.
 *
 * - load/walk.ts: the files of a tree (symbolic links followed only when they stay inside)
 * - load/read.ts: one file's text (size limit, UTF-8, byte order mark)
 * - load/yaml.ts and load/positions.ts: the YAML with positions (aliases limited, keys
 *   `__proto__`, `constructor` and `prototype` refused)
 * - load/defaults.ts: the defaults hierarchy and where each merged field came from
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { error, type Diagnostic } from './diagnostics.js';
import { duplicateDefaults, isDefaultsFileName } from './load/defaults.js';
import { readText } from './load/read.js';
import type { SourceFile } from './load/source.js';
import { findYamlFiles } from './load/walk.js';
import { parseSource } from './load/yaml.js';

export { isDefaultsFileName, mergeDeep, resolveDefaults, type ResolvedDocument } from './load/defaults.js';
export { MAX_FILE_BYTES } from './load/read.js';
export type { PathPart, SourceFile } from './load/source.js';

/** Read and parse one file, with the size, encoding and BOM checks. */
function loadFile(abs: string, file: string, relPath: string): { source?: SourceFile; diagnostics: Diagnostic[] } {
  const kind: SourceFile['kind'] = isDefaultsFileName(relPath.split('/').pop() ?? '') ? 'defaults' : 'document';
  const read = readText(abs, file);
  if (read.text === undefined) return { diagnostics: read.diagnostics };
  if (read.text.trim() === '') {
    return { diagnostics: [...read.diagnostics, error('load.empty', 'file is empty', { file, line: 1, col: 1 })] };
  }
  const parsed = parseSource(read.text, file, relPath, kind);
  return { source: parsed.source, diagnostics: [...read.diagnostics, ...parsed.diagnostics] };
}

/**
 * Every `*.yaml`/`*.yml` under `dir` (sorted; dot entries and node_modules skipped), parsed. A file that
 * cannot be parsed is left out of `files` and reported in `diagnostics`; the others are still loaded.
 */
export async function loadTree(dir: string): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[]; fileCount: number }> {
  const diagnostics: Diagnostic[] = [];
  let rootReal: string;
  try {
    const info = await lstat(dir).then((l) => (l.isSymbolicLink() ? stat(dir) : l));
    if (!info.isDirectory()) {
      return { files: [], fileCount: 0, diagnostics: [error('load.notDirectory', `${dir} is not a directory`, { file: dir })] };
    }
    rootReal = await realpath(dir);
  } catch {
    return { files: [], fileCount: 0, diagnostics: [error('load.noDirectory', `directory ${dir} does not exist`, { file: dir })] };
  }
  const found = await findYamlFiles(dir, rootReal, diagnostics, dir);
  const files: SourceFile[] = [];
  for (const f of found) {
    const loaded = loadFile(f.abs, join(dir, f.rel), f.rel);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.source) files.push(loaded.source);
  }
  diagnostics.push(...duplicateDefaults(found.map((f) => f.rel), dir));
  return { files, diagnostics, fileCount: found.length };
}

/**
 * A tree that declares no document (no file at all, or defaults files only) is a wrong `--dir`
 * far more often than an intended empty repository: planning it says "no changes" and a CI run
 * with a typo goes green. So it is an error naming the directory. A tree whose documents all
 * failed to load already has errors and needs none more.
 */
export function noDocumentsDiagnostic(dir: string, loaded: { documents: readonly unknown[]; diagnostics: readonly Diagnostic[] }, object = 'document'): Diagnostic | undefined {
  if (loaded.documents.length > 0 || loaded.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return error('load.noDocuments', `directory ${dir} holds no ${object} file (no *.yaml or *.yml besides defaults files): check --dir`, { file: dir });
}
