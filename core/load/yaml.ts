/** One file's text parsed as YAML: its problems with positions, or its data and a `locate`. */
import type { CST, Document, DocumentOptions, Node as YamlNode, Pair, ParseOptions } from 'yaml';
import { error, fieldPath, warning, type Diagnostic } from '../diagnostics.js';
import { parsePlainYaml } from './plain-yaml.js';
import { linesOf, locator, nodeStart, type Lines } from './positions.js';
import { FORBIDDEN_KEYS, type Position, type SourceFile } from './source.js';
import { yamlPackage } from './yaml-package.js';

/** So that a "billion laughs" file cannot exhaust memory. */
const MAX_ALIAS_COUNT = 100;

const PARSE_OPTIONS: ParseOptions & DocumentOptions = { uniqueKeys: true, prettyErrors: false };

function parseDocuments(text: string): Document[] {
  const docs = yamlPackage().parseAllDocuments(text, PARSE_OPTIONS);
  return Array.isArray(docs) ? docs : [];
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

/** The field path of a node the visitor reached by `path`: the keys of the pairs above it, and list indexes. */
function fieldPartsOf(path: readonly unknown[], node: unknown): (string | number)[] {
  const { isPair, isScalar } = yamlPackage();
  const parts: (string | number)[] = [];
  path.forEach((p, i) => {
    const child = path[i + 1] ?? node;
    if (isPair(p)) parts.push(isScalar(p.key) ? String(p.key.value) : '?');
    else if (p !== null && typeof p === 'object' && 'items' in p && Array.isArray(p.items) && !isPair(child)) parts.push(p.items.indexOf(child as never));
  });
  return parts;
}

/** What a key is when it is not a name: the JS data would give it no key of its own, or a made-up one. */
function notAName(key: unknown): string | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yamlPackage();
  if (key === null || (isScalar(key) && key.value === null)) return 'a key must be a field name, and this one is null (empty, ~ or null)';
  if (isSeq(key)) return 'a key must be a field name, not a list';
  if (isMap(key)) return 'a key must be a field name, not a mapping';
  // Never named: an alias is the value as written, which may be a password.
  if (isAlias(key)) return 'a key must be a field name, not an alias';
  return undefined;
}

const MERGE_KEY = 'merge keys (<<) are not supported: settings that several files share go in a defaults.yaml in their folder';

/**
 * `<<` is a merge only under YAML 1.1 (the parser then merges silently, and the merged fields have
 * no line of their own); under 1.2 it is a key no field has. Either way the file means to share
 * settings, which meetctl does with defaults files.
 */
function isMergeKey(key: unknown): boolean {
  const { isScalar } = yamlPackage();
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'));
}

/**
 * Keys the data cannot hold as written. Forbidden names could reach Object.prototype in a merge.
 * A null key becomes '' and a list or mapping key its text, so every later message would name a
 * field the file does not have, at the wrong line; and the parser prints a warning on stderr for a
 * collection key when the data is built, so these are refused before it is.
 */
function keyProblems(doc: Document, lc: Lines, file: string): Diagnostic[] {
  const { isScalar, visit } = yamlPackage();
  const out: Diagnostic[] = [];
  visit(doc, {
    Pair(_key, pair, path) {
      const refused = notAName(pair.key) ?? (isMergeKey(pair.key) ? MERGE_KEY : undefined);
      if (refused !== undefined) {
        const pos = nodeStart(pair.key, lc) ?? nodeStart(pair.value, lc) ?? { line: 1, col: 1 };
        const field = fieldPath(fieldPartsOf(path, pair));
        out.push(error(refused === MERGE_KEY ? 'load.mergeKey' : 'load.keyNotName', refused, { file, ...pos, ...(field ? { field } : {}) }));
        return visit.SKIP;
      }
      if (!isScalar(pair.key) || !FORBIDDEN_KEYS.has(String(pair.key.value))) return;
      const pos = nodeStart(pair.key, lc) ?? { line: 1, col: 1 };
      out.push(
        error('load.forbiddenKey', `key '${String(pair.key.value)}' is not allowed`, {
          file,
          ...pos,
          field: fieldPath([...fieldPartsOf(path, pair), String(pair.key.value)]),
        }),
      );
    },
  });
  return out;
}

const UNKNOWN_TAG = 'a value that starts with ! is read as a YAML tag, and meetctl knows no such tag: quote the value if the ! is part of it';
const UNRESOLVED_ALIAS = 'a value that starts with * is read as a YAML alias, and no anchor (&) of that name comes before it: quote the value if the * is part of it';

/** Where the first alias without an anchor is, and the field it is the value of. */
function unresolvedAlias(doc: Document, lc: Lines): (Position & { field?: string }) | undefined {
  const { visit } = yamlPackage();
  let found: (Position & { field?: string }) | undefined;
  visit(doc, {
    Alias(key, node, path) {
      if (node.resolve(doc) !== undefined) return;
      const parts = fieldPartsOf(path, node);
      if (typeof key === 'number' && parts.length === 0) parts.push(key);
      const field = fieldPath(parts);
      found = { ...(nodeStart(node, lc) ?? { line: 1, col: 1 }), ...(field ? { field } : {}) };
      return visit.BREAK;
    },
  });
  return found;
}

function firstAliasPosition(doc: Document, lc: Lines): Position {
  const { visit } = yamlPackage();
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
  const { isAlias, isSeq } = yamlPackage();
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
  // Most files are plain: their data without a syntax tree, and no diagnostics (see plain-yaml.ts).
  const plain = parsePlainYaml(text);
  if (plain !== undefined) return { source: { file, relPath, kind, data: plain, locate: lazyLocator(text) }, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const lc = linesOf(text);
  const list = parseDocuments(text);
  const at = (offset: number) => lc.linePos(offset);
  let failed = false;
  let flow: UnclosedFlow | null | undefined;
  for (const doc of list) {
    for (const e of doc.errors) {
      failed = true;
      if (flow === undefined) flow = unclosedFlow(text) ?? null;
      if (flow !== null && e.pos[0] >= flow.open && e.pos[0] <= flow.end) {
        // The parser gives up where the collection's lines end, and may stumble inside it first.
        if (!flow.reported) {
          const field = blockKeyPathAt(text, flow.open);
          diagnostics.push(error('load.unclosedBracket', flow.message, { file, ...at(flow.open), ...(field ? { field } : {}) }));
        }
        flow.reported = true;
        continue;
      }
      const message = e.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(text, e.pos[0]) : yamlMessage(e.message);
      const offset = e.code === 'MISSING_CHAR' ? (unclosedQuoteOffset(text) ?? e.pos[0]) : e.pos[0];
      diagnostics.push(error(`yaml.${e.code}`, message, { file, ...at(offset) }));
    }
    for (const w of doc.warnings) {
      // An unknown tag's value is kept as its bare text (`!include agenda.md` plans the agenda
      // "agenda.md"): an error, as the file does not mean what would be planned. Its name is not
      // echoed: an unquoted password that starts with ! is read as a tag.
      if (w.code === 'TAG_RESOLVE_FAILED') {
        failed = true;
        diagnostics.push(error(`yaml.${w.code}`, UNKNOWN_TAG, { file, ...at(w.pos[0]) }));
      } else diagnostics.push(warning(`yaml.${w.code}`, yamlMessage(w.message), { file, ...at(w.pos[0]) }));
    }
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
  if (!yamlPackage().isMap(doc.contents)) {
    diagnostics.push(
      error('load.notMapping', `the top level must be a mapping of field names to values, not ${describeTop(doc.contents)}`, {
        file,
        ...(nodeStart(doc.contents, lc) ?? { line: 1, col: 1 }),
      }),
    );
    return { diagnostics };
  }
  const badKeys = keyProblems(doc, lc, file);
  if (badKeys.length > 0) return { diagnostics: [...diagnostics, ...badKeys] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/alias count|resource exhaustion/i.test(message)) {
      const bomb = `too many alias expansions (more than ${MAX_ALIAS_COUNT}); refusing a file that expands this much`;
      diagnostics.push(error('load.aliasBomb', bomb, { file, ...firstAliasPosition(doc, lc) }));
    } else {
      // The parser's message names the alias, which is the value as written: never echoed.
      const alias = unresolvedAlias(doc, lc);
      diagnostics.push(alias ? error('load.unresolvedAlias', UNRESOLVED_ALIAS, { file, ...alias }) : error('load.yaml', 'the file cannot be read as YAML data', { file, line: 1, col: 1 }));
    }
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
  const { CST } = yamlPackage();
  let found: number | undefined;
  const walked = visitTokens(text, (token) => {
    if (found !== undefined || !(token.type in CLOSED_QUOTED)) return;
    const scalar = token as CST.FlowScalar;
    if (!CLOSED_QUOTED[scalar.type as keyof typeof CLOSED_QUOTED].test(scalar.source)) found = scalar.offset;
  });
  return walked ? found : undefined;
}

/**
 * Visit each token of the syntax tree of `text`; false when the walk could not finish. It recurses,
 * so a file nested deeper than the stack (the parser reports that as RESOURCE_EXHAUSTION, and that
 * error stands) is not walked to the end.
 */
function visitTokens(text: string, visit: (token: CST.Token) => void): boolean {
  const { CST, Parser } = yamlPackage();
  try {
    for (const doc of new Parser().parse(text)) {
      if (doc.type !== 'document') continue;
      CST.visit(doc, (item) => {
        if (item.value !== undefined) visit(item.value);
      });
    }
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

interface UnclosedFlow {
  /** Offsets of its opening bracket and of the end of the text the parser gave it. */
  open: number;
  end: number;
  message: string;
  reported?: boolean;
}

const FLOW_CLOSER: Record<string, { token: string; message: string }> = {
  '[': { token: 'flow-seq-end', message: 'this [ is not closed: end the list with ] (a list on several lines indents them past its key)' },
  '{': { token: 'flow-map-end', message: 'this { is not closed: end the mapping with } (a mapping on several lines indents them past its key)' },
};

/**
 * The innermost `[` or `{` that never closes, found as unclosedQuoteOffset finds a quote: the
 * parser reports it where the collection's lines end, which may be many lines later.
 */
function unclosedFlow(text: string): UnclosedFlow | undefined {
  const { CST } = yamlPackage();
  let found: UnclosedFlow | undefined;
  const walked = visitTokens(text, (token) => {
    if (token.type !== 'flow-collection') return;
    const closer = FLOW_CLOSER[token.start.source];
    if (closer === undefined || token.end.some((t) => t.type === closer.token)) return;
    // Visited outer first: a later one that starts inside the one found is nested in it.
    if (found === undefined || token.offset < found.end) {
      found = { open: token.offset, end: token.offset + CST.stringify(token).length, message: closer.message };
    }
  });
  if (!walked || found === undefined) return undefined;
  // A quote that never closes swallows the bracket that would close the collection: it is the cause.
  const quote = unclosedQuoteOffset(text);
  return quote !== undefined && quote >= found.open && quote <= found.end ? undefined : found;
}

const BLOCK_KEY = /^( *)([A-Za-z_][\w-]*) *: *$/;

/**
 * The field whose value starts at `offset`, read from the block keys above it (`meetingOptions:` /
 * `  enabledChat: {`), for an error the parser could not build a tree for; undefined where a line
 * on the way is not a plain `key:` (a list item, a quoted key).
 */
function blockKeyPathAt(text: string, offset: number): string | undefined {
  const lines = text.slice(0, offset).split(/\r?\n/);
  const own = BLOCK_KEY.exec(lines[lines.length - 1]);
  if (own === null) return undefined;
  const path = [own[2]];
  let indent = own[1].length;
  for (let i = lines.length - 2; i >= 0 && indent > 0; i--) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line)) continue;
    const lineIndent = line.length - line.trimStart().length;
    if (lineIndent >= indent) continue;
    const parent = BLOCK_KEY.exec(line.replace(/ +#.*$/, ''));
    if (parent === null) return undefined;
    path.unshift(parent[2]);
    indent = lineIndent;
  }
  return path.join('.');
}

function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}
