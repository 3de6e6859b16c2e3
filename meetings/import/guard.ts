/**
 * The last guard before a file is written: the file as `validate` will read it. Whatever the
 * schema or the offline rules refuse is left out, so that a written file always validates.
 */
import type { Diagnostic } from '../../core/diagnostics.js';
import { isPlainObject } from '../../core/diff.js';
import type { JsonObject } from '../../core/plan.js';
import { checkFileSchema } from '../desired.js';
import { checkDocumentRules } from '../rules.js';
import type { Omission } from './project.js';

/** What a file will hold, before rendering: the series fields and its occurrence overrides. */
export interface FileContent {
  id: string;
  /** The key of a series meetctl owns (its ownership tag): the file adopts it by id and keeps it by key. */
  key?: string;
  hostEmail?: string;
  fields: JsonObject;
  occurrences: { id: string; fields: JsonObject }[];
}

function pathParts(field: string): (string | number)[] {
  return [...field.matchAll(/[^.[\]]+/g)].map((m) => (/^\d+$/.test(m[0]) ? Number(m[0]) : m[0]));
}

/** Remove the value a diagnostic points at; false when it points at nothing removable. */
function dropAt(content: FileContent, parts: (string | number)[]): boolean {
  let fields = content.fields;
  let rest = parts;
  if (parts[0] === 'occurrences' && typeof parts[1] === 'number') {
    const occurrence = content.occurrences[parts[1]];
    if (!occurrence) return false;
    if (parts.length === 2 || parts[2] === 'id') {
      content.occurrences.splice(parts[1], 1);
      return true;
    }
    fields = occurrence.fields;
    rest = parts.slice(2);
  }
  const [name, member] = rest;
  if (typeof name !== 'string' || !(name in fields) || name === 'id' || name === 'key') return false;
  const value = fields[name];
  if (typeof member === 'string' && isPlainObject(value) && member in value) {
    delete value[member];
    if (Object.keys(value).length === 0) delete fields[name];
  } else {
    delete fields[name];
  }
  if (fields !== content.fields && Object.keys(fields).length === 0) {
    content.occurrences = content.occurrences.filter((o) => Object.keys(o.fields).length > 0);
  }
  return true;
}

/**
 * The last guard: the file as `validate` will read it (schema and offline rules). A live value
 * the schema does not know (a new enum value, an out-of-range number) is left out, so that the
 * written file always validates; what cannot be fixed that way comes back as `problems`.
 */
export function keepValid(content: FileContent, file: string): { content: FileContent; omitted: Omission[]; problems: string[]; warnings: Diagnostic[] } {
  const omitted: Omission[] = [];
  const data = (): Record<string, unknown> => ({
    id: content.id,
    ...(content.key === undefined ? {} : { key: content.key }),
    ...(content.hostEmail === undefined ? {} : { hostEmail: content.hostEmail }),
    ...content.fields,
    ...(content.occurrences.length > 0 ? { occurrences: content.occurrences.map((o) => ({ id: o.id, ...o.fields })) } : {}),
  });
  const nowhere = () => ({ line: 1, col: 1 });
  for (let round = 0; round < 20; round++) {
    const doc = data();
    const schemaErrors = checkFileSchema({ file, relPath: file, kind: 'document', data: doc, locate: nowhere }).filter((d) => d.severity === 'error');
    const found = schemaErrors.length > 0 ? schemaErrors : checkDocumentRules({ file, relPath: file, data: doc, defaults: [], locate: () => ({ file, line: 1, col: 1 }), declares: () => true });
    const errors = found.filter((d) => d.severity === 'error');
    // What validate will warn of in the written file, every time it reads it: said once, now.
    if (errors.length === 0) return { content, omitted, problems: [], warnings: found.filter((d) => d.severity === 'warning') };
    let dropped = false;
    for (const d of errors) {
      if (d.field !== undefined && dropAt(content, pathParts(d.field))) {
        omitted.push({ field: d.field, reason: d.message });
        dropped = true;
      }
    }
    if (!dropped) return { content, omitted, problems: errors.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`), warnings: [] };
  }
  return { content, omitted, problems: ['the file still does not validate after leaving values out'], warnings: [] };
}
