/**
 * Loading a desired-state tree: find the YAML files under a directory, parse them with source
 * positions, and merge the defaults hierarchy. Generic: nothing here knows what a meeting is.
 *
 * Choices worth knowing:
 * - A UTF-8 byte order mark is an error (editors on Windows add it invisibly); the file is still
 *   parsed without it, so its other problems are reported in the same run.
 * - Files over 1 MB are refused before they are read; a desired meeting is a few hundred bytes.
 * - Aliases are limited (maxAliasCount) so that a "billion laughs" file cannot exhaust memory.
 * - Keys `__proto__`, `constructor` and `prototype` are refused: the data later flows through
 *   plain-object merges and must not be able to reach Object.prototype.
 * - Symbolic links are followed only when their target stays inside the directory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import {
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Parser,
  type DocumentOptions,
  type ParseOptions,
  visit,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import { error, warning, fieldPath, type Diagnostic } from './diagnostics.js';

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_ALIAS_COUNT = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const DEFAULTS_NAMES = new Set(['defaults.yaml', 'defaults.yml', '_defaults.yaml', '_defaults.yml']);

export type PathPart = string | number;
export interface Position {
  line: number;
  col: number;
}

export interface SourceFile {
  /** The path as the user would write it: the directory as given, joined with the path below it. */
  file: string;
  /** Path below the loaded directory, with `/` separators. */
  relPath: string;
  kind: 'document' | 'defaults';
  data: unknown;
  /**
   * Where a path points in the file: `at: 'value'` (default) the value, `at: 'key'` the key that holds it.
   * A path that does not exist resolves to its deepest existing ancestor (for a missing key: the mapping).
   */
  locate(path: readonly PathPart[], at?: 'key' | 'value'): Position;
}

export function isDefaultsFileName(name: string): boolean {
  return DEFAULTS_NAMES.has(name);
}

function isYamlFile(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

interface Found {
  abs: string;
  rel: string;
}

/** Every YAML file under `root`, sorted by relative path; dot entries and node_modules are skipped. */
async function findYamlFiles(root: string, rootReal: string, diagnostics: Diagnostic[], shownDir: string): Promise<Found[]> {
  const out: Found[] = [];
  const visited = new Set<string>([rootReal]);
  const inside = (real: string) => real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);

  async function walk(absDir: string, relDir: string): Promise<void> {
    const entries = await readdir(absDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const abs = join(absDir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = await realpath(abs);
        } catch {
          if (isYamlFile(entry.name)) diagnostics.push(error('load.brokenLink', 'symbolic link points nowhere', { file: join(shownDir, rel) }));
          continue;
        }
        if (!inside(real)) {
          diagnostics.push(warning('load.linkOutside', `skipped: symbolic link points outside ${shownDir}`, { file: join(shownDir, rel) }));
          continue;
        }
        const st = await stat(real);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          if (visited.has(real)) continue;
          visited.add(real);
        }
      } else if (isDir) {
        visited.add(await realpath(abs));
      }
      if (isDir) await walk(abs, rel);
      else if (isFile && isYamlFile(entry.name)) out.push({ abs, rel });
    }
  }

  await walk(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column of a byte offset (columns count characters, not bytes). */
function positionOfByte(bytes: Uint8Array, offset: number): Position {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, col: [...lines[lines.length - 1]].length + 1 };
}

function nodeStart(node: unknown, lc: Lines): Position | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lc.linePos(range[0]) : undefined;
}

function findPair(map: unknown, key: PathPart): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions = { uniqueKeys: true, prettyErrors: false };

function parseDocuments(text: string): Document[] {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  return Array.isArray(docs) ? docs : [];
}

/** What positions are computed with: offsets to 1-based line and column. */
type Lines = Pick<LineCounter, 'linePos'>;

/**
 * The line starts of `text`, found when a position is first asked for: most files report nothing,
 * and letting the parser record every line start costs a tenth of the parse. The parser starts a
 * line after each `\n` (of `\n` or `\r\n`), and so does this.
 */
function linesOf(text: string): Lines {
  let counter: LineCounter | undefined;
  return {
    linePos(offset) {
      if (counter === undefined) {
        counter = new LineCounter();
        counter.addNewLine(0);
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
      }
      return counter.linePos(offset);
    },
  };
}

/**
 * A `locate` that keeps only the text and parses it again on first use. Positions are asked for
 * only when something is reported, and holding ten thousand syntax trees until then costs more
 * memory and garbage-collector time than parsing the few files that need them a second time.
 */
function lazyLocator(text: string): SourceFile['locate'] {
  let locate: SourceFile['locate'] | undefined;
  return (path, at) => {
    if (locate === undefined) {
      const doc = parseDocuments(text).find((d) => d.contents !== null);
      locate = doc ? locator(doc, linesOf(text)) : () => ({ line: 1, col: 1 });
    }
    return locate(path, at);
  };
}

/** Build the `locate` of a parsed document. */
function locator(doc: Document, lc: Lines): SourceFile['locate'] {
  return (path, at = 'value') => {
    let node: unknown = doc.contents;
    let position = nodeStart(node, lc) ?? { line: 1, col: 1 };
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = findPair(node, part);
        if (!pair) return position;
        const keyPos = nodeStart(pair.key, lc);
        const range = (pair.value as { range?: [number, number, number] } | null)?.range;
        const valuePos = range && range[1] > range[0] ? nodeStart(pair.value, lc) : undefined;
        // An empty value (`agenda:`) has no node of its own: point at its key.
        position = (last && at === 'key' ? keyPos : (valuePos ?? keyPos)) ?? position;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number' && part >= 0 && part < node.items.length) {
        node = node.items[part];
        position = nodeStart(node, lc) ?? position;
      } else {
        return position;
      }
    }
    return position;
  };
}

function forbiddenKeys(doc: Document, lc: Lines, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Pair(_key, pair, path) {
      if (!isScalar(pair.key) || !FORBIDDEN_KEYS.has(String(pair.key.value))) return;
      const pos = nodeStart(pair.key, lc) ?? { line: 1, col: 1 };
      const parents = path.filter((p): p is Pair => isPair(p)).map((p) => (isScalar(p.key) ? String(p.key.value) : '?'));
      out.push(
        error('load.forbiddenKey', `key '${String(pair.key.value)}' is not allowed`, {
          file,
          ...pos,
          field: fieldPath([...parents, String(pair.key.value)]),
        }),
      );
    },
  });
  return out;
}

function firstAliasPosition(doc: Document, lc: Lines): Position {
  let found: Position | undefined;
  visit(doc, {
    Alias(_k, node) {
      found = nodeStart(node, lc);
      return visit.BREAK;
    },
  });
  return found ?? { line: 1, col: 1 };
}

function describeTop(node: YamlNode | null): string {
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  return 'a single value';
}

/** Parse one file's text. Diagnostics carry positions; `source` is undefined when the file cannot be used. */
export function parseSource(
  text: string,
  file: string,
  relPath: string,
  kind: SourceFile['kind'],
): { source?: SourceFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lc = linesOf(text);
  const list = parseDocuments(text);
  const at = (offset: number) => lc.linePos(offset);
  let failed = false;
  for (const doc of list) {
    for (const e of doc.errors) {
      failed = true;
      const message = e.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(text, e.pos[0]) : yamlMessage(e.message);
      const offset = e.code === 'MISSING_CHAR' ? (unclosedQuoteOffset(text) ?? e.pos[0]) : e.pos[0];
      diagnostics.push(error(`yaml.${e.code}`, message, { file, ...at(offset) }));
    }
    for (const w of doc.warnings) diagnostics.push(warning(`yaml.${w.code}`, yamlMessage(w.message), { file, ...at(w.pos[0]) }));
  }
  if (failed) return { diagnostics };
  const withContent = list.filter((d) => d.contents !== null);
  if (withContent.length === 0) {
    diagnostics.push(error('load.empty', 'file is empty', { file, line: 1, col: 1 }));
    return { diagnostics };
  }
  if (withContent.length > 1) {
    const second = withContent[1];
    diagnostics.push(
      error('load.multipleDocuments', 'a file holds one document: split the documents (---) into separate files', {
        file,
        ...(nodeStart(second.contents, lc) ?? { line: 1, col: 1 }),
      }),
    );
    return { diagnostics };
  }
  const doc = withContent[0];
  if (!isMap(doc.contents)) {
    diagnostics.push(
      error('load.notMapping', `the top level must be a mapping of field names to values, not ${describeTop(doc.contents)}`, {
        file,
        ...(nodeStart(doc.contents, lc) ?? { line: 1, col: 1 }),
      }),
    );
    return { diagnostics };
  }
  const forbidden = forbiddenKeys(doc, lc, file);
  if (forbidden.length > 0) return { diagnostics: [...diagnostics, ...forbidden] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const bomb = /alias count|resource exhaustion/i.test(message);
    diagnostics.push(
      error(
        bomb ? 'load.aliasBomb' : 'load.yaml',
        bomb ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}); refusing a file that expands this much` : message,
        { file, ...(bomb ? firstAliasPosition(doc, lc) : { line: 1, col: 1 }) },
      ),
    );
    return { diagnostics };
  }
  return { source: { file, relPath, kind, data, locate: lazyLocator(text) }, diagnostics };
}

function duplicateKeyMessage(text: string, offset: number): string {
  const key = /^("[^"\n]*"|'[^'\n]*'|[^:\s,{}[\]]+)/.exec(text.slice(offset))?.[1];
  return key ? `duplicate key '${key.replace(/^["']|["']$/g, '')}': each key may appear once in a mapping` : 'duplicate key: each key may appear once in a mapping';
}

// The parser's messages end with a position and sometimes a source excerpt; we print our own position.
const CLOSED_QUOTED = { 'double-quoted-scalar': /^"(?:[^"\\]|\\[\s\S])*"$/, 'single-quoted-scalar': /^'(?:[^']|'')*'$/ } as const;

/**
 * Where the first quoted scalar that never closes opens. The parser reports a missing closing
 * quote where it gave up, at the end of the file, which is no help in a long file; the quote that
 * opened it is what the user has to fix.
 */
function unclosedQuoteOffset(text: string): number | undefined {
  let found: number | undefined;
  for (const doc of new Parser().parse(text)) {
    if (doc.type !== 'document') continue;
    CST.visit(doc, (item) => {
      const token = item.value;
      if (found !== undefined || token === undefined || !(token.type in CLOSED_QUOTED)) return;
      const scalar = token as CST.FlowScalar;
      if (!CLOSED_QUOTED[scalar.type as keyof typeof CLOSED_QUOTED].test(scalar.source)) found = scalar.offset;
    });
  }
  return found;
}

function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** The file's bytes, or its size when it is over MAX_FILE_BYTES (then nothing is read). One open, one fstat. */
function readSmallFile(abs: string): Uint8Array | number {
  const fd = openSync(abs, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return size;
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** Read and parse one file, with the size, encoding and BOM checks. */
export async function loadFile(abs: string, file: string, relPath: string): Promise<{ source?: SourceFile; diagnostics: Diagnostic[] }> {
  const kind: SourceFile['kind'] = isDefaultsFileName(relPath.split('/').pop() ?? '') ? 'defaults' : 'document';
  // Synchronous on purpose: files are read one after another, and for thousands of small files the
  // thread-pool round trips of the promise API cost more CPU than the reading itself.
  const bytes = readSmallFile(abs);
  if (typeof bytes === 'number') {
    return {
      diagnostics: [
        error('load.tooLarge', `file is ${bytes} bytes; files over ${MAX_FILE_BYTES} bytes (1 MB) are refused`, { file, line: 1, col: 1 }),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const pos = positionOfByte(bytes, Math.max(0, offset));
    return { diagnostics: [error('load.encoding', `file is not valid UTF-8 (byte ${offset} is not part of a UTF-8 character)`, { file, ...pos })] };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    // An error, not a warning: some YAML and diff tools treat the mark as content, so the file would
    // not mean the same everywhere. The rest is still checked, so one run shows every problem.
    diagnostics.push(error('load.bom', 'file starts with a UTF-8 byte order mark: save it as UTF-8 without one', { file, line: 1, col: 1 }));
  }
  if (text.trim() === '') {
    return { diagnostics: [...diagnostics, error('load.empty', 'file is empty', { file, line: 1, col: 1 })] };
  }
  const parsed = parseSource(text, file, relPath, kind);
  return { source: parsed.source, diagnostics: [...diagnostics, ...parsed.diagnostics] };
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
    const loaded = await loadFile(f.abs, join(dir, f.rel), f.rel);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.source) files.push(loaded.source);
  }
  diagnostics.push(...duplicateDefaults(found.map((f) => f.rel), dir));
  return { files, diagnostics, fileCount: found.length };
}

function duplicateDefaults(relPaths: readonly string[], dir: string): Diagnostic[] {
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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

/**
 * A tree that declares no document (no file at all, or defaults files only) is a wrong `--dir`
 * far more often than an intended empty repository: planning it says "no changes" and a CI run
 * with a typo goes green. So it is an error naming the directory. A tree whose documents all
 * failed to load already has errors and needs none more.
 */
export function noDocumentsDiagnostic(dir: string, loaded: { meetings: readonly unknown[]; diagnostics: readonly Diagnostic[] }): Diagnostic | undefined {
  if (loaded.meetings.length > 0 || loaded.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return error('load.noDocuments', `directory ${dir} holds no meeting file (no *.yaml or *.yml besides defaults files): check --dir`, { file: dir });
}
