/**
 * A fast path for the plain block YAML nearly every desired-state file is written in: mappings,
 * lists, plain and simply quoted scalars, comment lines. The full parser builds a syntax tree per
 * file and was most of the CPU time of loading ten thousand files, with the garbage it leaves.
 *
 * The contract is narrow: either the data the full parser's `toJS` gives (core schema), or
 * undefined, and then the full parser runs and reports whatever there is to report. Anything this
 * does not fully understand (anchors, tags, flow collections, block scalars, escapes, multi-line
 * scalars, floats, comments after a value, odd indentation, duplicate or refused keys, …) is
 * undefined: a file with a problem never takes this path. test/property/plain-yaml.test.ts holds
 * it to the full parser.
 */
import { FORBIDDEN_KEYS } from './source.js';

interface Line {
  indent: number;
  content: string;
}

/** Thrown inside, caught at the top: "not plain enough, ask the full parser". */
const NOT_PLAIN = Symbol('not plain');

// Characters whose meaning depends on YAML details this path does not reproduce; among them the
// spaces that JavaScript's trim() removes and YAML keeps as content (its white space is only space
// and tab), such as the no-break spaces a file copied from a web page is indented with.
const UNUSUAL_CHARACTER = /[\t\r\x00-\x08\x0b-\x1f\x7f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$/;
// Keys the core schema reads as null or a boolean: their JS key is not their spelling.
const SCALAR_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const PLAIN_START_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const SMALL_INTEGER = /^[0-9]{1,15}$/;
// The core schema's other numbers (signed, octal, hex, float, exponent, infinity, NaN).
const OTHER_NUMBER = /^(?:[-+][0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const DOUBLE_QUOTED = /^"([^"\\]*)"$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'$/;

function scalar(text: string): unknown {
  if (text === '[]') return [];
  if (text === '{}') return {};
  const double = DOUBLE_QUOTED.exec(text);
  if (double) return double[1];
  const single = SINGLE_QUOTED.exec(text);
  if (single) return single[1].replace(/''/g, "'");
  if (PLAIN_START_INDICATOR.test(text) || text.includes(': ') || text.includes('#') || text.endsWith(':')) throw NOT_PLAIN;
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (SMALL_INTEGER.test(text)) return Number(text);
  if (OTHER_NUMBER.test(text)) throw NOT_PLAIN;
  return text;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    lines.push({ indent: raw.length - raw.trimStart().length, content: content });
  }
  if (lines[0]?.content === '---') lines.shift();
  return lines;
}

/** Deeper than any meeting file: deeper nesting goes to the full parser, which limits it. */
const MAX_DEPTH = 32;

class Reader {
  i = 0;
  private depth = 0;
  constructor(readonly lines: Line[]) {}

  private peek(): Line | undefined {
    return this.lines[this.i];
  }

  /** What follows `key:` with nothing after it: a deeper block, or null. */
  private nested(indent: number): unknown {
    const next = this.peek();
    if (next === undefined || next.indent < indent) return null;
    if (next.indent === indent) {
      if (next.content.startsWith('-')) throw NOT_PLAIN; // a list at its key's indentation
      return null;
    }
    return this.block(next.indent);
  }

  block(indent: number): unknown {
    if (++this.depth > MAX_DEPTH) throw NOT_PLAIN;
    const first = this.peek()!;
    const value = first.content.startsWith('- ') ? this.list(indent) : this.mapping(indent);
    this.depth--;
    return value;
  }

  /** After a scalar, a deeper line would continue it or be an error: either way not plain. */
  private noDeeper(indent: number): void {
    const next = this.peek();
    if (next !== undefined && next.indent > indent) throw NOT_PLAIN;
  }

  mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      const m = KEY.exec(line.content);
      if (!m) throw NOT_PLAIN;
      const key = m[1];
      if (FORBIDDEN_KEYS.has(key) || SCALAR_KEYS.has(key) || Object.prototype.hasOwnProperty.call(out, key)) throw NOT_PLAIN;
      this.i++;
      if (m[2] === undefined) {
        out[key] = this.nested(indent);
      } else {
        out[key] = scalar(m[2]);
        this.noDeeper(indent);
      }
    }
    return out;
  }

  list(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent && line.content.startsWith('- '); line = this.peek()) {
      const item = line.content.slice(2);
      // The parser reads `-  x` as ' x': one space after the dash, or the full parser decides.
      if (item.startsWith(' ')) throw NOT_PLAIN;
      if (KEY.test(item)) {
        // `- key: value`: a mapping whose first line starts after the dash.
        this.lines[this.i] = { indent: indent + 2, content: item };
        if (++this.depth > MAX_DEPTH) throw NOT_PLAIN;
        out.push(this.mapping(indent + 2));
        this.depth--;
      } else {
        this.i++;
        out.push(scalar(item));
      }
      this.noDeeper(indent);
    }
    return out;
  }
}

/** The data of `text` when it is plain block YAML with a mapping at the top, else undefined. */
export function parsePlainYaml(text: string): Record<string, unknown> | undefined {
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  const lines = linesOf(text);
  if (lines.length === 0 || lines[0].content.startsWith('- ')) return undefined;
  const reader = new Reader(lines);
  try {
    const data = reader.mapping(lines[0].indent);
    return reader.i === lines.length ? data : undefined;
  } catch (err) {
    if (err === NOT_PLAIN) return undefined;
    throw err;
  }
}
