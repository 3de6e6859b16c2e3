/**
 * The generic diff: from a live document and a PARTIAL desired document to the smallest
 * RFC 7396 merge patch. Knows nothing of any provider; field rules live with the provider.
 */
import mergePatch from 'json-merge-patch';
import type { JsonObject, JsonValue } from './plan.js';

export interface DiffEntry {
  /** Dotted path of the leaf, e.g. `meetingOptions.enabledChat`. */
  path: string;
  before: JsonValue | undefined;
  after: JsonValue;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; object key order does not matter, a key holding `undefined` counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const aKeys = definedKeys(a);
    const bKeys = definedKeys(b);
    if (aKeys.length !== bKeys.length) return false;
    return aKeys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((key) => o[key] !== undefined);
}

/**
 * The smallest RFC 7396 merge patch that turns `current` into `desired`, where `desired` is PARTIAL:
 * a key absent from desired is unmanaged and never touched; `null` in desired means "clear" (patched
 * only when current holds a non-null value); nested objects patch only their changed members; arrays
 * are compared deeply and sent whole when they differ. Returns {} when nothing differs.
 */
export function computeMergePatch(current: JsonObject, desired: JsonObject): JsonObject {
  // Restrict the live document to the managed keys, so generate() never sees (and never clears) the rest.
  const managedCurrent = project(current, desired);
  const target = mergePatch.apply(structuredClone(managedCurrent), structuredClone(desired)) as JsonObject;
  const patch = (mergePatch.generate(managedCurrent, target) ?? {}) as JsonObject;
  return dropEmptyCreations(patch, current);
}

/**
 * `current` restricted to the keys `desired` names, recursively where both sides are objects.
 * A live `null` is treated as absent: clearing an empty field is not a change.
 */
function project(current: JsonObject, desired: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(desired)) {
    if (!Object.prototype.hasOwnProperty.call(current, key)) continue;
    const live = current[key];
    if (live === null || live === undefined) continue;
    const wanted = desired[key];
    out[key] = isPlainObject(live) && isPlainObject(wanted) ? project(live, wanted) : live;
  }
  return out;
}

/**
 * A desired `{}` (or an object of only nulls) under a key the live document lacks manages nothing,
 * yet the algebra yields `{ key: {} }`, which would create an empty object server-side. Drop those.
 * A type change (live scalar or array → object) keeps its `{}`: that one is a real change.
 */
function dropEmptyCreations(patch: JsonObject, current: JsonObject | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    const live = current?.[key];
    const liveIsEmpty = live === undefined || live === null;
    if (isPlainObject(value) && (liveIsEmpty || isPlainObject(live))) {
      const pruned = dropEmptyCreations(value, isPlainObject(live) ? live : undefined);
      if (Object.keys(pruned).length > 0) out[key] = pruned;
      continue;
    }
    out[key] = value;
  }
  return out;
}

/**
 * Flat list of the leaf differences a patch makes, for display. Objects in the patch are walked
 * (their members are leaves); arrays and scalars are one leaf each. Keys come in patch order.
 */
export function diffEntries(before: JsonObject, patch: JsonObject): DiffEntry[] {
  const entries: DiffEntry[] = [];
  walk(before, patch, '', entries);
  return entries;
}

function walk(before: JsonObject | undefined, patch: JsonObject, prefix: string, out: DiffEntry[]): void {
  for (const [key, after] of Object.entries(patch)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const old = before?.[key];
    const walkInto = isPlainObject(after) && Object.keys(after).length > 0 && (old === undefined || old === null || isPlainObject(old));
    if (walkInto) walk(isPlainObject(old) ? old : undefined, after, path, out);
    else out.push({ path, before: old, after });
  }
}
