/**
 * Everything a renderer prints that came from a file, a server or a user goes through here,
 * so that a hostile title cannot fake output lines, recolour a terminal or reorder text.
 */
import type { JsonValue } from '../plan.js';

/** C0/C1 controls (newline and ESC included), DEL, line/paragraph separators and bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Replace every unsafe character with a visible escape (`\n`, `\u202e`). */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// White space other than the space, and the invisible format characters: a key that holds one
// looks like the field it is not (a no-break space indenting a line copied from a web page).
const UNSEEN_SPACE = /[^\S ]|[\u200b-\u200d\u2060]/gu;

export function hasUnseenSpace(text: string): boolean {
  UNSEEN_SPACE.lastIndex = 0;
  return UNSEEN_SPACE.test(text);
}

/** A key or field name with each such character as its escape (`\u00a0`), so the reader sees it. */
export function showUnseenSpaces(text: string): string {
  return text.replace(UNSEEN_SPACE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const MAX_VALUE_CHARS = 80;

/** Strings longer than `max` characters keep their start and end around a `…`; never splits a surrogate pair. */
export function elideMiddle(text: string, max = MAX_VALUE_CHARS): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** A value for display: strings JSON-quoted (elided when long), arrays and objects as compact JSON. */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return escapeUnsafe(JSON.stringify(elideMiddle(value)));
  return escapeUnsafe(JSON.stringify(value));
}

/** A label (e.g. an object's title) for display: quoted like a value, so its extent is unambiguous. */
export function formatLabel(label: string): string {
  return escapeUnsafe(JSON.stringify(elideMiddle(label)));
}

/** Free text (a reason, a warning, a path) for display on one line. */
export function formatText(text: string): string {
  return escapeUnsafe(text);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
