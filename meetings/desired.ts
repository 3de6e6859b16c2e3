/**
 * The desired state: load the tree, check every file against its JSON Schema, merge defaults,
 * run the offline rules, and hand the planner the meetings whose files are clean.
 */
import { basename, dirname, isAbsolute, relative } from 'node:path';
import { hasErrors, oncePerCause, type Diagnostic } from '../core/diagnostics.js';
import { isPlainObject } from '../core/diff.js';
import type { LoadHooks } from '../core/provider.js';
import { isDefaultsFileName, loadTree, resolveDefaults, type PathPart, type ResolvedDocument, type SourceFile } from '../core/load.js';
import type { ValidateFunction } from 'ajv';
import { checkSchemaDetailed, withoutPaths, type CompiledSchema, type SchemaCheck, type SchemaHints } from '../core/schema-check.js';
import { slicer } from '../core/turns.js';
import validateMeeting from './validators/meeting.js';
import validateDefaults from './validators/defaults.js';
import { MEETING_FIELDS, OCCURRENCE_FIELDS, REQUEST_CONTROLS, RESPONSE_ONLY_FIELDS, type FieldSpec } from './catalogue.js';
import { checkDocumentRules, checkDuplicateIds } from './rules.js';

/** One declared scheduled meeting, named by its id or by its original start (`at`). */
export interface DesiredOccurrence {
  id?: string;
  /** The original start as written (ISO 8601 with an offset): names the scheduled meeting before its id is known. */
  at?: string;
  /** `cancelled: true`: the scheduled meeting is cancelled (deleted). */
  cancelled?: true;
  /** The occurrence's own fields, as written (secrets as references), without `id`, `at` or `cancelled`. */
  fields: Record<string, unknown>;
}

/**
 * A meeting file: `id` names an existing series; `key` a series meetctl creates and finds by its
 * ownership tag; both adopt the series `id` under that key. At least one is set.
 */
export interface DesiredMeeting {
  id?: string;
  key?: string;
  file: string;
  /** Managed fields merged with the defaults, as written (secrets as `${env:NAME}`); no id, key, occurrences or hostEmail. */
  fields: Record<string, unknown>;
  hostEmail?: string;
  occurrences: DesiredOccurrence[];
  /** Where a field came from (the meeting file or a defaults file), for messages. */
  locate(path: readonly PathPart[]): { file: string; line: number; col: number };
}

/** A declared occurrence once its id is known (written, or found from its original start). */
export type IdentifiedOccurrence = DesiredOccurrence & { id: string };

/** A desired meeting whose series exists and whose id is known (declared, or found by its key), as are its occurrences'. */
export type IdentifiedMeeting = Omit<DesiredMeeting, 'occurrences'> & { id: string; occurrences: IdentifiedOccurrence[] };

/** The meeting as declared, when every id it needs is written in the file. */
export function identifiedAsWritten(meeting: DesiredMeeting): IdentifiedMeeting | undefined {
  if (meeting.id === undefined || meeting.occurrences.some((o) => o.id === undefined)) return undefined;
  return meeting as IdentifiedMeeting;
}

/** The key a file is planned, targeted and sharded by: its `key`, else its `id`. */
export function keyOfMeeting(meeting: Pick<DesiredMeeting, 'id' | 'key'>): string {
  return meeting.key ?? meeting.id ?? '';
}

/** Compiled ahead of time by scripts/compile-schemas.js (a test keeps them current): no ajv compile per run. */
const SCHEMAS: { meeting: CompiledSchema; defaults: CompiledSchema } = {
  meeting: { validate: validateMeeting as ValidateFunction },
  defaults: { validate: validateDefaults as ValidateFunction },
};

function schemas(): { meeting: CompiledSchema; defaults: CompiledSchema } {
  return SCHEMAS;
}

const RESPONSE_ONLY = new Set(RESPONSE_ONLY_FIELDS);
const SERIES_ONLY = new Set(MEETING_FIELDS.filter((f) => f.scope === 'series').map((f) => f.name));

/** The names a mapping at `parentPath` may hold, for "did you mean" hints. */
function allowedNames(parentPath: readonly PathPart[], kind: SourceFile['kind']): string[] {
  const top = kind === 'document' ? ['id', 'key', 'hostEmail', 'occurrences', ...MEETING_FIELDS.map((f) => f.name)] : ['hostEmail', ...MEETING_FIELDS.map((f) => f.name)];
  const inOccurrence = parentPath[0] === 'occurrences' && typeof parentPath[1] === 'number';
  const base = inOccurrence ? parentPath.slice(2) : parentPath;
  let fields: readonly FieldSpec[] = inOccurrence ? OCCURRENCE_FIELDS : MEETING_FIELDS;
  if (base.length === 0) return inOccurrence ? ['id', 'at', 'cancelled', ...OCCURRENCE_FIELDS.map((f) => f.name)] : top;
  for (const part of base) {
    const spec = fields.find((f) => f.name === part);
    if (!spec?.members) return spec?.compare === 'trackingCodes' ? ['name', 'value'] : [];
    fields = spec.members;
  }
  return fields.map((f) => f.name);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** Why a field is not allowed, in Webex terms. */
export function unknownFieldHint(kind: SourceFile['kind']): SchemaHints['unknownField'] {
  return (name, parentPath) => {
    const atTop = parentPath.length === 0;
    const inOccurrence = parentPath.length === 2 && parentPath[0] === 'occurrences';
    if ((atTop || inOccurrence) && RESPONSE_ONLY.has(name)) return 'response-only: set by Webex';
    if ((atTop || inOccurrence) && name === 'sendEmail') {
      return 'sendEmail is a request control, not meeting state: it is an apply option (meetctl apply --send-email)';
    }
    if (inOccurrence && SERIES_ONLY.has(name)) return `${name} is series-only: set it on the series, not on an occurrence`;
    if (inOccurrence && (REQUEST_CONTROLS as readonly string[]).includes(name)) return `set ${name} once for the whole file, at the top level`;
    if (kind === 'defaults' && atTop && (name === 'id' || name === 'key' || name === 'occurrences')) return `a defaults file applies to many meetings; ${name} belongs in a meeting file`;
    const lower = name.toLowerCase();
    const candidates = allowedNames(parentPath, kind);
    // Every name of one or two characters is within two edits of `id` or `at`: a suggestion must
    // keep more than half of what was written.
    const near = (c: string) => {
      const distance = editDistance(c.toLowerCase(), lower);
      return distance <= 2 && 2 * distance < name.length;
    };
    const close = candidates.find((c) => c.toLowerCase() === lower) ?? candidates.find(near);
    return close ? `did you mean '${close}'?` : undefined;
  };
}

/** Schema-check one loaded file with the schema of its kind. */
export function checkFileSchema(source: SourceFile): Diagnostic[] {
  return checkFileSchemaDetailed(source).diagnostics;
}

function checkFileSchemaDetailed(source: SourceFile): SchemaCheck {
  const schema = source.kind === 'document' ? schemas().meeting : schemas().defaults;
  return checkSchemaDetailed(schema, source, { unknownField: unknownFieldHint(source.kind) });
}

const NOT_FIELDS = new Set(['id', 'key', 'occurrences', 'hostEmail']);
const NOT_OCCURRENCE_FIELDS = new Set(['id', 'at', 'cancelled']);

/** A copy of `data`, in its own key order, without the names in `names` (assigned, as a merge of plain data is). */
function without(data: Record<string, unknown>, names: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!names.has(key)) out[key] = data[key];
  return out;
}

function toDesired(doc: ResolvedDocument): DesiredMeeting {
  const fields = without(doc.data, NOT_FIELDS);
  const occurrences = Array.isArray(doc.data.occurrences)
    ? (doc.data.occurrences as unknown[]).map((occ) => {
        // Documents are made before validation too (LoadHooks.parsed): an item may be anything there.
        const item = isPlainObject(occ) ? occ : {};
        const fields = without(item, NOT_OCCURRENCE_FIELDS);
        const occurrence: DesiredOccurrence = item.cancelled === true ? { cancelled: true, fields } : { fields };
        if (typeof item.id === 'string') occurrence.id = item.id;
        if (typeof item.at === 'string') occurrence.at = item.at;
        return occurrence;
      })
    : [];
  return {
    ...(typeof doc.data.id === 'string' ? { id: doc.data.id } : {}),
    ...(typeof doc.data.key === 'string' ? { key: doc.data.key } : {}),
    file: doc.file,
    fields,
    hostEmail: typeof doc.data.hostEmail === 'string' ? doc.data.hostEmail : undefined,
    occurrences,
    locate: (path) => doc.locate(path),
  };
}

/**
 * The offline rules of each document. A finding at a value a defaults file supplies is one
 * diagnostic at that value, naming the meeting files it breaks, however many meetings meet it;
 * a finding at a meeting's own value stays on the meeting's file.
 */
async function checkRules(docs: readonly ResolvedDocument[]): Promise<Diagnostic[]> {
  const own: Diagnostic[] = [];
  const shared: { diagnostic: Diagnostic; in: string }[] = [];
  // One "now" for both readings of a document, so that they find the same things in the same order.
  const nowMs = Date.now();
  const turn = slicer();
  for (const doc of docs) {
    const wait = turn();
    if (wait) await wait;
    const found = checkDocumentRules(doc, { nowMs });
    // Nearly every document's findings are its own: only the others need the second reading below.
    if (found.every((d) => d.file === doc.file)) {
      own.push(...found);
      continue;
    }
    const elsewhere = new Set(found.filter((d) => d.file !== doc.file).map((d) => d.file as string));
    // Said again as seen from the file the finding lands in: a message's "line 5" means a line
    // of the file it is printed under, so the meeting's own lines are spelt out with its name there.
    const seenFrom = new Map([...elsewhere].map((file) => [file, checkDocumentRules({ ...doc, file }, { nowMs })]));
    found.forEach((d, i) => {
      if (d.file === doc.file) own.push(d);
      else shared.push({ diagnostic: seenFrom.get(d.file as string)?.[i] ?? d, in: doc.file });
    });
  }
  return [...own, ...oncePerCause(shared)];
}

/**
 * Every file of one host names it with the first spelling the tree has (`H03@Example.com` and
 * `h03@example.com` are one mailbox): the reads group files by host, and two spellings would list
 * the same host's series twice.
 */
function oneSpellingPerHost(documents: DesiredMeeting[]): void {
  const first = new Map<string, string>();
  for (const d of documents) {
    if (typeof d.hostEmail !== 'string') continue;
    const key = d.hostEmail.toLowerCase();
    const spelling = first.get(key);
    if (spelling === undefined) first.set(key, d.hostEmail);
    else d.hostEmail = spelling;
  }
}

// What the early reads put in a request: a tree whose ids or hosts are not even well formed will be
// refused, and its reads would send them (an id is one encoded path segment, a host a query value).
// Looser than the schema, which judges them after: it only has to catch what the schema refuses.
const SERIES_ID = /^[0-9A-Za-z]+$/;
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/;
const OCCURRENCE_ID = /^[0-9A-Za-z]+_[0-9A-Za-z]+$/;

function fitForRequests(doc: DesiredMeeting): boolean {
  const fits = (value: unknown, pattern: RegExp) => value === undefined || (typeof value === 'string' && pattern.test(value));
  return fits(doc.id, SERIES_ID) && fits(doc.hostEmail, EMAIL_LIKE) && doc.occurrences.every((o) => fits(o.id, OCCURRENCE_ID));
}

/**
 * Load + schema + rules. Returns every diagnostic, and the meetings whose file (and whose defaults
 * files) have no error: one bad file never hides the others.
 */
export async function loadDesiredState(
  dir: string,
  hooks: LoadHooks<DesiredMeeting> = {},
): Promise<{ meetings: DesiredMeeting[]; diagnostics: Diagnostic[]; fileCount: number }> {
  const loaded = await loadTree(dir);
  const diagnostics = [...loaded.diagnostics];
  const badFiles = () => new Set(diagnostics.filter((d) => d.severity === 'error' && d.file).map((d) => d.file as string));
  const unparsed = badFiles();
  const documents = resolveDefaults(loaded.files, dir);
  const asWritten = documents.map(toDesired);
  oneSpellingPerHost(asWritten);
  if (!hasErrors(diagnostics) && asWritten.every(fitForRequests)) hooks.parsed?.(asWritten);

  // The cross-field rules see each file without the values the schema refused, so that one run
  // reports every problem: a wrong type in one field does not hide a contradiction between two others.
  let anySchemaError = false;
  const forRules: SourceFile[] = [];
  const turn = slicer();
  for (const source of loaded.files) {
    const wait = turn();
    if (wait) await wait;
    const check = checkFileSchemaDetailed(source);
    diagnostics.push(...check.diagnostics);
    if (check.invalidPaths.length === 0) forRules.push(source);
    else {
      anySchemaError = true;
      forRules.push({ ...source, data: withoutPaths(source.data, check.invalidPaths) });
    }
  }

  const ruleDocuments = anySchemaError ? resolveDefaults(forRules, dir) : documents;
  // A defaults file that could not even be parsed is not in doc.defaults: the meetings below it
  // must not go ahead without the settings it was meant to give them.
  const underBadDefaults = (doc: ResolvedDocument, bad: Set<string>) =>
    [...bad].some((f) => {
      if (!isDefaultsFileName(basename(f))) return false;
      const below = relative(dirname(f), doc.file);
      return !below.startsWith('..') && !isAbsolute(below);
    });
  const clean = (doc: ResolvedDocument, bad: Set<string>) =>
    !bad.has(doc.file) && doc.defaults.every((f) => !bad.has(f)) && !underBadDefaults(doc, bad);
  // Rules run wherever the file and its defaults could be read: below an unreadable defaults file
  // the merged settings are unknown, and the rules would judge the wrong meeting.
  diagnostics.push(...(await checkRules(ruleDocuments.filter((doc) => clean(doc, unparsed)))));
  diagnostics.push(...checkDuplicateIds(documents));

  const bad = badFiles();
  const meetings = documents.flatMap((doc, i) => (clean(doc, bad) ? [asWritten[i]] : []));
  return { meetings, diagnostics, fileCount: loaded.fileCount };
}
