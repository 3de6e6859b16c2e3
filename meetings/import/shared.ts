/**
 * `import --defaults`: the values every imported series shares are written once, to the folder's
 * defaults file, and left out of each meeting file. The loader merges them back (objects member
 * by member, anything else whole; the meeting file wins), so each meeting reads exactly as before
 * and plan still shows no change: that is checked here for every file, not assumed.
 */
import { isDeepStrictEqual } from 'node:util';
import { isPlainObject } from '../../core/diff.js';
import { mergeDeep } from '../../core/load.js';
import type { JsonObject, JsonValue } from '../../core/plan.js';
import defaultsSchema from '../../schemas/defaults.schema.json' with { type: 'json' };
import { MEETING_FIELDS } from '../catalogue.js';
import { checkFileSchema } from '../desired.js';
import type { FileContent } from './guard.js';

/** What a defaults file may hold (never `id` or `occurrences`), in the order a meeting file writes them. */
const DEFAULTABLE = ['hostEmail', ...MEETING_FIELDS.map((f) => f.name)].filter((name) => name in defaultsSchema.properties);

/** A series' top-level values as the loader sees them: hostEmail with the fields. */
function topLevel(content: FileContent): JsonObject {
  return { ...(content.hostEmail === undefined ? {} : { hostEmail: content.hostEmail }), ...content.fields };
}

/** The part every value holds alike: objects member by member (as the loader merges them), anything else whole. */
function common(values: readonly JsonValue[]): JsonValue | undefined {
  const [first, ...rest] = values;
  if (values.every(isPlainObject)) {
    const out: JsonObject = {};
    for (const key of Object.keys(first as JsonObject)) {
      const members = values.map((v) => (v as JsonObject)[key]);
      if (members.some((m) => m === undefined)) continue;
      const shared = common(members);
      if (shared !== undefined) out[key] = shared;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return rest.every((v) => isDeepStrictEqual(v, first)) ? first : undefined;
}

/** `value` without what `shared` supplies; undefined when nothing is left. */
function without(value: JsonValue, shared: JsonValue): JsonValue | undefined {
  if (!isPlainObject(value) || !isPlainObject(shared)) return undefined;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const rest = key in shared ? without(v, shared[key]) : v;
    if (rest !== undefined) out[key] = rest;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function strip(content: FileContent, shared: JsonObject): FileContent {
  const fields: JsonObject = {};
  for (const [name, value] of Object.entries(content.fields)) {
    const rest = name in shared ? without(value, shared[name]) : value;
    if (rest !== undefined) fields[name] = rest;
  }
  return { ...content, hostEmail: 'hostEmail' in shared ? undefined : content.hostEmail, fields };
}

/**
 * The values shared by every series of `contents` (two at least: one series shares nothing with
 * others), and the contents without them. Nothing is shared when the defaults file would not
 * validate, or when any file merged with it would not read back as the very values it came from.
 */
export function splitShared(contents: readonly FileContent[], file: string): { shared: JsonObject; contents: FileContent[] } {
  const none = { shared: {}, contents: [...contents] };
  if (contents.length < 2) return none;
  const tops = contents.map(topLevel);
  const shared: JsonObject = {};
  for (const name of DEFAULTABLE) {
    const values = tops.map((t) => t[name]);
    if (values.some((v) => v === undefined)) continue;
    const value = common(values as JsonValue[]);
    if (value !== undefined) shared[name] = value;
  }
  if (Object.keys(shared).length === 0) return none;
  const nowhere = () => ({ line: 1, col: 1 });
  if (checkFileSchema({ file, relPath: file, kind: 'defaults', data: shared, locate: nowhere }).some((d) => d.severity === 'error')) return none;
  const stripped = contents.map((c) => strip(c, shared));
  const readsBack = stripped.every((c, i) => isDeepStrictEqual(mergeDeep(shared, topLevel(c)), tops[i]));
  return readsBack ? { shared, contents: stripped } : none;
}
