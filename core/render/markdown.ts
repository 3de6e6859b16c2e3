/**
 * Markdown building blocks for PR comments: escaping that keeps any value inside its table cell
 * and out of the HTML, and a size fitter that drops whole sections, never half a table.
 */
import { escapeUnsafe } from './sanitize.js';

export const COMMENT_LIMIT = 65_536;

/**
 * The limit a shortened document says it was over: a comment's, or the one its caller gave
 * (`--max-chars`, e.g. a wrapper's room or a job summary's), which is not a comment's limit.
 */
export function overLimit(over: number, maxChars: number, limitWords = 'limit of a comment'): string {
  const chars = `${over.toLocaleString('en-US')} characters over`;
  return maxChars === COMMENT_LIMIT ? `${chars} the ${maxChars.toLocaleString('en-US')} ${limitWords}` : `${chars} --max-chars ${maxChars.toLocaleString('en-US')}`;
}

/**
 * A code span holding `text` literally (no HTML, no links): a fence longer than any backtick run
 * inside. In a table cell `|` must be escaped as `\|`, which GFM unescapes inside the span.
 */
export function mdCode(text: string, inTable = false): string {
  const visible = escapeUnsafe(text);
  // The backslash run before a pipe is made odd, so that the pipe is escaped however the table
  // splitter pairs backslashes; GFM then drops exactly one, and a JSON value reads back unchanged.
  const safe = inTable ? visible.replace(/(\\*)\|/g, (_m, run: string) => `${run}${run.length % 2 === 0 ? '\\' : '\\\\'}|`) : visible;
  const runs: string[] = safe.match(/`+/g) ?? [];
  const longestRun = runs.reduce((n, run) => Math.max(n, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space on each side, which lets a span start or end with a backtick.
  const pad = safe.startsWith('`') || safe.endsWith('`') || (safe.startsWith(' ') && safe.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/**
 * Inline Markdown text (never at the start of a line): the characters that open emphasis, code,
 * links, images, HTML, entities, strikethrough or a table cell are backslash-escaped, and no
 * mention or issue reference is made.
 */
export function mdText(text: string): string {
  return unlinked(escapeUnsafe(text)).replace(/[\\`*_[\]<>|~&!]/g, '\\$&');
}

/**
 * GitHub makes `@name` a mention (it notifies) and `#12` a reference in text outside code, which
 * no escape prevents: a word joiner after the sign keeps the text as it reads and links nothing.
 * An email's `@` (a word character before it) and an entity's `#` are left alone.
 */
function unlinked(text: string): string {
  return text.replace(/(^|[^\w&])(@(?=[\w-])|#(?=\d))/g, '$1$2\u2060');
}

/**
 * Text inside raw HTML (a `<summary>`). CommonMark does not parse Markdown there, but entities are
 * decoded; brackets are encoded too, for renderers that would still make a link of `[x](y)`; and
 * no mention or issue reference is made.
 */
export function htmlText(text: string): string {
  return unlinked(escapeUnsafe(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/`/g, '&#96;')
    .replace(/\|/g, '&#124;')
    .replace(/\[/g, '&#91;')
    .replace(/]/g, '&#93;');
}

export function mdTable(header: string[], rows: string[][], align?: string[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align ?? header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** A run of items shown under one header; the header appears only when at least one item does. */
export interface MdGroup {
  header: string;
  items: string[];
  trailer: string;
  /** Lower keeps first when the comment is too long. */
  priority: number;
  /** How many objects each item shows, for the count of those not shown (1 each when absent). */
  weights?: number[];
}

export interface MdDocument {
  head: string;
  groups: MdGroup[];
}

/**
 * The document, or, when longer than `maxChars`, the document with items dropped from the end of
 * the lowest-priority groups and a closing line built by `footer(dropped, charsOver)`. Never longer than maxChars.
 */
export function fitMarkdown(doc: MdDocument, maxChars: number, footer: (dropped: number, charsOver: number) => string): string {
  const full = assemble(doc.head, doc.groups, doc.groups.map((g) => g.items.length), '');
  if (full.length <= maxChars) return full;

  const weight = (g: MdGroup, from: number) => g.items.slice(from).reduce((n, _item, i) => n + (g.weights?.[from + i] ?? 1), 0);
  const total = doc.groups.reduce((n, g) => n + weight(g, 0), 0);
  const over = full.length - maxChars;
  // The footer is measured with the largest count it can show, so the real one always fits.
  const budget = maxChars - doc.head.length - footer(total, over).length;
  const kept = doc.groups.map(() => 0);
  let used = 0;
  const byPriority = doc.groups.map((g, i) => ({ g, i })).sort((a, b) => a.g.priority - b.g.priority || a.i - b.i);
  fill: for (const { g, i } of byPriority) {
    for (const item of g.items) {
      const cost = item.length + (kept[i] === 0 ? g.header.length + g.trailer.length : 0);
      if (used + cost > budget) break fill;
      used += cost;
      kept[i] += 1;
    }
  }
  const dropped = doc.groups.reduce((n, g, i) => n + weight(g, kept[i]), 0);
  const result = assemble(doc.head, doc.groups, kept, footer(dropped, over));
  // Only a maxChars smaller than the summary itself gets here; the limit still holds.
  return result.length <= maxChars ? result : footer(dropped, over).slice(0, maxChars);
}

function assemble(head: string, groups: MdGroup[], kept: number[], footer: string): string {
  let out = head;
  groups.forEach((g, i) => {
    if (kept[i] > 0) out += g.header + g.items.slice(0, kept[i]).join('') + g.trailer;
  });
  // One newline at the end, whatever the last group's spacing was.
  return (out + footer).replace(/\n+$/, '\n');
}
