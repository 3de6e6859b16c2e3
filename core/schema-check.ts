/**
 * JSON Schema validation of loaded files, with each ajv error turned into a Diagnostic that points
 * at the offending key (unknown fields) or value (bad values) and says what is wrong in plain words.
 * Generic: the caller passes provider knowledge (e.g. why a field is unknown) as hints.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { error, fieldPath, type Diagnostic } from './diagnostics.js';
import type { PathPart, SourceFile } from './load.js';
import { hasUnseenSpace, plural, showUnseenSpaces } from './render/sanitize.js';

export interface SchemaHints {
  /**
   * Extra words for a field the schema does not allow, e.g. `response-only: set by Webex`. Gets the
   * field name and the path of the mapping that holds it; returns undefined for no hint.
   */
  unknownField?: (name: string, parentPath: readonly PathPart[]) => string | undefined;
}

/** A validator: ajv's standalone code compiled ahead of time, or compileSchema's (schema-compile.ts). */
export interface CompiledSchema {
  validate: ValidateFunction;
}

/** JSON pointer (`/occurrences/0/id`) to path parts, numbers for array indexes. */
export function pointerToPath(pointer: string, data: unknown): PathPart[] {
  if (pointer === '') return [];
  const parts: PathPart[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      parts.push(Number(key));
      node = node[Number(key)];
    } else {
      parts.push(key);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return parts;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeWords(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  // What a YAML 1.1 timestamp or a !!binary value becomes: neither is a mapping to the reader.
  if (value instanceof Date) return 'a timestamp';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'number' ? (Number.isInteger(value) ? 'a whole number' : 'a number') : typeof value;
}

interface Mapped {
  code: string;
  message: string;
  path: PathPart[];
  at: 'key' | 'value';
  /** The path to locate, when it differs from `path` (a missing key is located at its mapping). */
  locatePath?: PathPart[];
}

function mapError(e: ErrorObject, data: unknown, hints: SchemaHints): Mapped | undefined {
  const path = pointerToPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const custom = typeof parent.errorMessage === 'string' ? parent.errorMessage : undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const hint = hasUnseenSpace(name)
        ? 'it holds a space YAML does not indent with, such as a no-break space: retype it with plain spaces'
        : hints.unknownField?.(name, path);
      return { code: 'schema.unknownField', message: `unknown field '${showUnseenSpaces(name)}'${hint ? ` (${hint})` : ''}`, path: [...path, name], at: 'key' };
    }
    case 'required': {
      const name = String(p.missingProperty);
      return { code: 'schema.required', message: custom ?? `missing required field '${name}'`, path: [...path, name], at: 'value', locatePath: path };
    }
    case 'not':
      return { code: 'schema.not', message: custom ?? 'holds what it must not', path, at: 'value' };
    case 'type':
      return { code: 'schema.type', message: `must be ${typeWords(p.type)}, not ${describeValue(e.data)}`, path, at: 'value' };
    case 'enum':
      return { code: 'schema.enum', message: `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}`, path, at: 'value' };
    case 'const':
      return { code: 'schema.const', message: `must be ${JSON.stringify(p.allowedValue)}`, path, at: 'value' };
    case 'maxLength':
      return { code: 'schema.maxLength', message: `must be at most ${plural(Number(p.limit), 'character')}`, path, at: 'value' };
    case 'minLength':
      return {
        code: 'schema.minLength',
        message: Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${plural(Number(p.limit), 'character')}`,
        path,
        at: 'value',
      };
    case 'maxItems':
      return { code: 'schema.maxItems', message: `must have at most ${plural(Number(p.limit), 'item')}`, path, at: 'value' };
    case 'minItems':
      return { code: 'schema.minItems', message: `must have at least ${plural(Number(p.limit), 'item')}`, path, at: 'value' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: `schema.${e.keyword}`, message: `must be ${String(p.comparison)} ${String(p.limit)}`.replace('<=', 'at most').replace('>=', 'at least'), path, at: 'value' };
    case 'pattern': {
      const explained = typeof parent.patternErrorMessage === 'string' ? parent.patternErrorMessage : undefined;
      return { code: 'schema.pattern', message: explained ?? `must match the pattern ${String(p.pattern)}`, path, at: 'value' };
    }
    case 'format':
      return { code: 'schema.format', message: `must be a valid ${String(p.format)}`, path, at: 'value' };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      // The branch errors carry the detail; the summary adds nothing a reader can act on.
      return undefined;
    default:
      return { code: `schema.${e.keyword}`, message: e.message ?? 'is not valid', path, at: 'value' };
  }
}

/** Validate a loaded file's data; every problem is a Diagnostic with file, position and field. */
export function checkSchema(schema: CompiledSchema, source: Pick<SourceFile, 'file' | 'data' | 'locate'>, hints: SchemaHints = {}): Diagnostic[] {
  return checkSchemaDetailed(schema, source, hints).diagnostics;
}

export interface SchemaCheck {
  diagnostics: Diagnostic[];
  /** Where the data breaks the schema: values of the wrong kind and unknown keys (not missing ones). */
  invalidPaths: PathPart[][];
}

/** As checkSchema, and where the problems are, so that later checks can leave those values out. */
export function checkSchemaDetailed(schema: CompiledSchema, source: Pick<SourceFile, 'file' | 'data' | 'locate'>, hints: SchemaHints = {}): SchemaCheck {
  if (schema.validate(source.data)) return { diagnostics: [], invalidPaths: [] };
  const out: Diagnostic[] = [];
  const invalidPaths: PathPart[][] = [];
  const seen = new Set<string>();
  for (const e of schema.validate.errors ?? []) {
    const mapped = mapError(e, source.data, hints);
    if (!mapped) continue;
    if (mapped.code !== 'schema.required') invalidPaths.push(mapped.path);
    const field = fieldPath(mapped.path);
    const key = `${field}\u0000${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = source.locate(mapped.locatePath ?? mapped.path, mapped.at);
    out.push(error(mapped.code, mapped.message, { file: source.file, line: pos.line, col: pos.col, field: field || undefined }));
  }
  return { diagnostics: out, invalidPaths };
}

/**
 * A copy of `data` without the values at `paths`: a key is removed, a list item becomes null (so the
 * indexes of the others, which positions refer to, stay). Undefined when the whole value is invalid.
 */
export function withoutPaths(data: unknown, paths: readonly PathPart[][]): unknown {
  if (paths.some((p) => p.length === 0)) return undefined;
  const copy = structuredClone(data);
  for (const path of paths) {
    let node: unknown = copy;
    for (const part of path.slice(0, -1)) {
      node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined;
    }
    const last = path[path.length - 1];
    if (Array.isArray(node) && typeof last === 'number') {
      if (last < node.length) node[last] = null;
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      delete (node as Record<string, unknown>)[String(last)];
    }
  }
  return copy;
}
