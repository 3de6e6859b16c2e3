/**
 * Everything a renderer prints that came from a file, a server or a user goes through here,
 * so that a hostile title cannot fake output lines, recolour a terminal or reorder text.
 */
import type { JsonValue } from '../plan.js';

/**
 * C0/C1 controls (newline and ESC included), DEL, line/paragraph separators, bidi controls, and the
 * invisible characters nothing legitimate in a title needs: the soft hyphen, the Mongolian vowel
 * separator, the zero-width space and the word joiner family. The zero-width joiner and non-joiner
 * stay (emoji sequences and several scripts are built with them); formatPair shows them when they
 * are all that differs.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Replace every unsafe character with a visible escape (`\n`, `\u202e`). */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (ch) => SHORT_ESCAPES[ch] ?? escapeOf(ch));
}

/** `\u00a0` for a no-break space: one UTF-16 unit, as JSON writes it. */
function escapeOf(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// White space other than the space, and the invisible format characters: a key that holds one
// looks like the field it is not (a no-break space indenting a line copied from a web page).
const UNSEEN_SPACE = /[^\S ]|[\u200b-\u200d\u2060]/gu;

/** A key or field name with each such character as its escape (`\u00a0`), so the reader sees it. */
export function showUnseenSpaces(text: string): string {
  return text.replace(UNSEEN_SPACE, escapeOf);
}

export function hasUnseenSpace(text: string): boolean {
  return showUnseenSpaces(text) !== text;
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

/** How much of the text around a change in a long string is shown, on each side. */
const CONTEXT_CHARS = 20;

/**
 * A value before and after a change, for display side by side. Short strings are shown whole. Of
 * a long one, what differs is shown, with a little of what surrounds it: cut in its middle, a
 * change inside a 1,300-character agenda would read "A…Z" → "A…Z". Two values that still print
 * alike (a change in characters that do not show) are printed with every character past ASCII
 * escaped, so that the difference is there to see.
 */
export function formatPair(before: JsonValue | undefined, after: JsonValue | undefined): { before: string; after: string } {
  const strings = typeof before === 'string' && typeof after === 'string';
  let shown = strings ? aroundDifference(before, after, quoted) : { before: formatValue(before), after: formatValue(after) };
  const raw = (v: JsonValue | undefined) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  // Judged on the values too: one invisible character escaped and another not (a zero-width space
  // that became a joiner) would read as a character removed.
  const alike = looksAlike(shown.before, shown.after) || looksAlike(raw(before), raw(after));
  if (JSON.stringify(before) !== JSON.stringify(after) && alike) {
    shown = strings ? aroundDifference(before, after, revealed) : { before: revealed(before), after: revealed(after) };
  }
  return shown;
}

/** The same to the eye: equal once composed alike, without the characters that do not show, and with every space a space. */
function looksAlike(a: string, b: string): boolean {
  const seen = (text: string) => text.normalize('NFC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').replace(/\p{Zs}/gu, ' ');
  return seen(a) === seen(b);
}

const quoted = (text: string): string => escapeUnsafe(JSON.stringify(text));

/** JSON with every character past ASCII escaped: two look-alike values shown as what they hold. */
function revealed(value: JsonValue | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, escapeOf);
}

function aroundDifference(before: string, after: string, show: (text: string) => string): { before: string; after: string } {
  const a = Array.from(before);
  const b = Array.from(after);
  if (a.length <= MAX_VALUE_CHARS && b.length <= MAX_VALUE_CHARS) return { before: show(before), after: show(after) };
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const from = Math.max(0, start - CONTEXT_CHARS);
  const window = (chars: string[]): string => {
    const to = Math.min(chars.length, chars.length - end + CONTEXT_CHARS);
    // The part that differs is elided in its own middle when long: it keeps its start, where it first differs.
    const room = Math.max(CONTEXT_CHARS, MAX_VALUE_CHARS - (start - from) - (to - (chars.length - end)));
    const middle = elideMiddle(chars.slice(start, chars.length - end).join(''), room);
    const text = `${chars.slice(from, start).join('')}${middle}${chars.slice(chars.length - end, to).join('')}`;
    // The ellipses mark the cuts, inside the quotes, and are never escaped themselves.
    return show(text).replace(/^"/, from > 0 ? '"…' : '"').replace(/"$/, to < chars.length ? '…"' : '"');
  };
  return { before: window(a), after: window(b) };
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
