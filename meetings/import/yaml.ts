/** The YAML text of an imported file, and the schema reference that turns on editor help. */
import { existsSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, Scalar, visit } from 'yaml';
import type { JsonObject } from '../../core/plan.js';
import { MEETING_FIELDS, OCCURRENCE_FIELDS } from '../catalogue.js';
import { secretVariable } from './names.js';

export interface RenderInput {
  id: string;
  /** Written after the id: the series is meetctl's (its ownership tag names this key). */
  key?: string;
  hostEmail?: string;
  fields: JsonObject;
  secrets: readonly string[];
  occurrences: readonly { id: string; fields: JsonObject }[];
  /** The `$schema` reference for editors: a path relative to the file, or a URL. */
  schemaRef: string;
  fileBase: string;
}

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/**
 * Characters that reorder or hide text (bidi controls, marks, separators, BOM, the soft hyphen, the
 * zero-width space and the word-joiner family: the ones plans escape too): a diff of the file would
 * not show what it holds.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The YAML of one field (`{ name: value }`), rendered once per run: most settings repeat from file
 * to file (a switch, a choice of a few), and an import of 10,000 series spent about 5 s building a
 * document per field. JSON, the cache's key, writes -0 as 0, which YAML does not: a value holding
 * -0 is rendered each time.
 */
function toYaml(value: Record<string, unknown>): string {
  let negativeZero = false;
  const key = JSON.stringify(value, (_k, v: unknown) => {
    if (Object.is(v, -0)) negativeZero = true;
    return v;
  });
  if (negativeZero) return renderYaml(value);
  let text = rendered.get(key);
  if (text === undefined) {
    if (rendered.size >= RENDERED_KEPT) rendered.clear();
    text = renderYaml(value);
    rendered.set(key, text);
  }
  return text;
}

const rendered = new Map<string, string>();
const RENDERED_KEPT = 20_000;

/**
 * The YAML of one value. A string holding an invisible character is double-quoted with that
 * character escaped (`\u202e`): the same string to a YAML reader, and a title that reverses the
 * text around it shows as what it is in an editor, a review and a git diff.
 */
function renderYaml(value: unknown): string {
  const doc = new Document(value);
  let escaped = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && new RegExp(INVISIBLE.source).test(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        escaped = true;
      }
    },
  });
  const text = doc.toString(YAML_OPTIONS).replace(/\n$/, '');
  // Only double-quoted scalars hold them now, where `\uXXXX` is an escape.
  return escaped ? text.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** One meeting file: the schema modeline, id, key, hostEmail, the fields in catalogue order, then the overrides. */
export function renderMeetingYaml(doc: RenderInput): string {
  const lines: string[] = [`# yaml-language-server: $schema=${doc.schemaRef}`];
  const emit = (value: Record<string, unknown>) => lines.push(toYaml(value));
  emit({ id: doc.id });
  if (doc.key !== undefined) emit({ key: doc.key });
  if (doc.hostEmail !== undefined) emit({ hostEmail: doc.hostEmail });
  for (const spec of MEETING_FIELDS) {
    if (doc.secrets.includes(spec.name)) {
      lines.push(`# ${spec.name}: \${env:${secretVariable(doc.fileBase, spec.name)}}`);
      continue;
    }
    if (doc.fields[spec.name] !== undefined) emit({ [spec.name]: doc.fields[spec.name] });
  }
  if (doc.occurrences.length > 0) {
    lines.push('# Scheduled meetings of the series that differ from it:');
    emit({ occurrences: doc.occurrences.map((o) => ({ id: o.id, ...orderedOccurrence(o.fields) })) });
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The folder's defaults file (`import --defaults`): the schema modeline, a line saying what the
 * file is, then the shared values in the order `shared` holds them (a meeting file's order).
 */
export function renderDefaultsYaml(shared: JsonObject, schemaRef: string): string {
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '# Shared by every meeting series `meetctl import --defaults` wrote here; a meeting file below wins over it.',
  ];
  for (const [name, value] of Object.entries(shared)) lines.push(toYaml({ [name]: value }));
  return `${lines.join('\n')}\n`;
}

function orderedOccurrence(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const spec of OCCURRENCE_FIELDS) if (fields[spec.name] !== undefined) out[spec.name] = fields[spec.name];
  return out;
}

/** This package's meeting schema (or `schemaPath`), as a path relative to `fromDir` (posix separators). */
export function schemaRefFrom(fromDir: string, schemaPath = packageSchemaPath('meeting.schema.json')): string {
  const rel = relative(fromDir, schemaPath).split(sep).join(posix.sep);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function packageSchemaPath(name: 'meeting.schema.json' | 'defaults.schema.json'): string {
  // From meetings/import/ (sources under vitest) or dist/meetings/import/ (built): the first folder up with schemas/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'schemas', name);
}

