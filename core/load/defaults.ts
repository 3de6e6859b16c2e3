/** The defaults hierarchy: which files are defaults, and how they merge into each document, with provenance. */
import { join } from 'node:path';
import { isPlainObject } from '../diff.js';
import { error, type Diagnostic } from '../diagnostics.js';
import { FORBIDDEN_KEYS, type PathPart, type SourceFile } from './source.js';

const DEFAULTS_NAMES = new Set(['defaults.yaml', 'defaults.yml', '_defaults.yaml', '_defaults.yml']);

export function isDefaultsFileName(name: string): boolean {
  return DEFAULTS_NAMES.has(name);
}

export function duplicateDefaults(relPaths: readonly string[], dir: string): Diagnostic[] {
  const byFolder = new Map<string, string[]>();
  for (const rel of relPaths) {
    const name = rel.split('/').pop() ?? '';
    if (!isDefaultsFileName(name)) continue;
    const folder = folderOf(rel);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), rel]);
  }
  const out: Diagnostic[] = [];
  for (const list of byFolder.values()) {
    if (list.length < 2) continue;
    for (const rel of list) {
      const others = list.filter((o) => o !== rel).map((o) => join(dir, o));
      out.push(
        error('load.duplicateDefaults', `a folder may hold one defaults file; this one competes with ${others.join(', ')}`, {
          file: join(dir, rel),
          line: 1,
          col: 1,
        }),
      );
    }
  }
  return out;
}

function folderOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export interface ResolvedDocument {
  file: string;
  relPath: string;
  data: Record<string, unknown>;
  /** The defaults files merged into this document, farther first. */
  defaults: string[];
  /** Where a merged field came from: the document itself or the defaults file that supplied it. */
  locate(path: readonly PathPart[], at?: 'key' | 'value'): { file: string; line: number; col: number };
  /** Whether the document file itself (not a defaults file) holds this path. */
  declares(path: readonly PathPart[]): boolean;
}

/** Objects merge deeply, anything else (arrays, scalars, null) replaces. `over` wins. */
export function mergeDeep(under: unknown, over: unknown): unknown {
  if (!isPlainObject(under) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    out[key] = key in out ? mergeDeep(out[key], value) : value;
  }
  return out;
}

/** How many leading parts of `path` exist in `data`. */
function depthIn(data: unknown, path: readonly PathPart[]): number {
  let node = data;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (Array.isArray(node) && typeof part === 'number' && part >= 0 && part < node.length) node = node[part];
    else if (isPlainObject(node) && Object.prototype.hasOwnProperty.call(node, part)) node = node[part as string];
    else return i;
  }
  return path.length;
}

/**
 * Defaults hierarchy: for each document, merge the defaults files of its folder and every ancestor up to dir
 * (farther first, nearer wins, the document wins; objects merge deeply, arrays replace). Provenance is kept:
 * `locate` answers with the file a merged field came from.
 */
export function resolveDefaults(files: readonly SourceFile[], _dir?: string): ResolvedDocument[] {
  const defaultsByFolder = new Map<string, SourceFile[]>();
  for (const f of files) {
    if (f.kind !== 'defaults' || !isPlainObject(f.data)) continue;
    const folder = folderOf(f.relPath);
    defaultsByFolder.set(folder, [...(defaultsByFolder.get(folder) ?? []), f]);
  }
  const out: ResolvedDocument[] = [];
  for (const doc of files) {
    if (doc.kind !== 'document' || !isPlainObject(doc.data)) continue;
    const folders: string[] = [''];
    const parts = folderOf(doc.relPath).split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) folders.push(parts.slice(0, i).join('/'));
    const layers = folders.flatMap((folder) => defaultsByFolder.get(folder) ?? []); // farther first
    let data: unknown = {};
    for (const layer of layers) data = mergeDeep(data, layer.data);
    data = mergeDeep(data, doc.data);
    const nearestFirst = [doc, ...[...layers].reverse()];
    out.push({
      file: doc.file,
      relPath: doc.relPath,
      data: data as Record<string, unknown>,
      defaults: layers.map((l) => l.file),
      locate(path, at = 'value') {
        let best = nearestFirst[0];
        let bestDepth = depthIn(best.data, path);
        for (const layer of nearestFirst.slice(1)) {
          const depth = depthIn(layer.data, path);
          if (depth > bestDepth) {
            best = layer;
            bestDepth = depth;
          }
        }
        return { file: best.file, ...best.locate(path, at) };
      },
      declares: (path) => depthIn(doc.data, path) === path.length,
    });
  }
  return out;
}
