/**
 * Content fingerprints: the same JSON value always hashes the same, whatever its key order,
 * so a saved plan can tell whether a live object moved since the plan was made.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level and no whitespace. `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // Top-level undefined, functions and symbols have no JSON form; null is the honest stand-in.
    return JSON.stringify(value) ?? 'null';
  }
  // Built by concatenation: a plan fingerprints every meeting it will change, and the
  // intermediate arrays of filter/map/join were most of the cost.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(obj).sort(compareCodePoints)) {
    const member = obj[key];
    if (member === undefined || typeof member === 'function') continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function fingerprint(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

/** Locale-independent order, so fingerprints do not depend on the machine's ICU data. */
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
