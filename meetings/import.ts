/**
 * `meetctl import`: the live meeting series as desired-state YAML files. The contract is that
 * `plan` on what import wrote shows no change, so every value written is checked with the
 * planner's own comparison (`compareField`) and live-state rules (`liveStateProblems`) against
 * the very meeting it came from; a value that would not round-trip is left out (and said so),
 * never written in a form the planner would read differently.
 */
import { readdir, readFile, lstat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { isPlainObject } from '../core/diff.js';
import type { JsonObject, JsonValue } from '../core/plan.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import {
  JOIN_BEFORE_HOST_MINUTES,
  MEETING_FIELDS,
  OCCURRENCE_FIELDS,
  type FieldSpec,
} from './catalogue.js';
import type { ListQuery, Meeting, WebexClient } from './client.js';
import { compareField, liveInstant, type FieldContext } from './normalize.js';
import { liveStateProblems, type LiveMeeting } from './planner.js';
import { checkFileSchema } from './desired.js';
import { checkDocumentRules } from './rules.js';
import { formatInZone, isValidTimeZone, truncateToMinute } from './time.js';

const DAY = 24 * 3600 * 1000;
const YEAR = 365.25 * DAY;
export const MAX_FILE_BASE = 60;
/** Names a loader reads as folder defaults: a meeting file must never take one. */
const RESERVED_BASES = new Set(['defaults', '_defaults']);

/** One value left out of an imported file, and why. */
export interface Omission {
  field: string;
  reason: string;
}

export interface ImportedDocument {
  /** Top-level fields in catalogue order (objects restricted to catalogue members). */
  fields: JsonObject;
  /** Sensitive fields the live meeting holds: written as commented `${env:…}` references. */
  secrets: string[];
  /** Values present on the meeting but not written because they would not round-trip. */
  omitted: Omission[];
}

// ---------------------------------------------------------------------------------------------
// Which live values round-trip

function isWebinar(meeting: Record<string, unknown>): boolean {
  return meeting.scheduledType === 'webinar';
}

function typeMatches(spec: FieldSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
    case 'datetime':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
  }
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * A field that only means something when another is on: written only then, because the
 * planner (and Webex) refuse it otherwise. `path` and `needs` are member paths of a meeting.
 */
interface Dependency {
  path: readonly string[];
  needs: readonly string[];
}

const DEPENDENCIES: readonly Dependency[] = [
  { path: ['joinBeforeHostMinutes'], needs: ['enabledJoinBeforeHost'] },
  { path: ['enableConnectAudioBeforeHost'], needs: ['enabledJoinBeforeHost'] },
  { path: ['visualWatermarkOpacity'], needs: ['enabledVisualWatermark'] },
  { path: ['meetingOptions', 'noteType'], needs: ['meetingOptions', 'enabledNote'] },
  { path: ['restrictToInvitees'], needs: ['requireAttendeeLogin'] },
];

function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function deletePath(obj: JsonObject, path: readonly string[]): void {
  if (path.length === 1) {
    delete obj[path[0]];
    return;
  }
  const parent = getPath(obj, path.slice(0, -1));
  if (isPlainObject(parent)) {
    delete parent[path[path.length - 1]];
    if (Object.keys(parent).length === 0) deletePath(obj, path.slice(0, -1));
  }
}

/** The catalogue members of a live object, in catalogue order, minus those the meeting's kind refuses. */
function importableObject(spec: FieldSpec, value: JsonObject, webinar: boolean, omitted: Omission[]): JsonObject {
  const out: JsonObject = {};
  for (const member of spec.members ?? []) {
    const v = value[member.name];
    const path = `${spec.name}.${member.name}`;
    if (v === undefined || v === null) continue;
    if (!typeMatches(member, v)) {
      omitted.push({ field: path, reason: `unexpected ${typeof v} value` });
      continue;
    }
    if (member.webinarOnly && !webinar) continue;
    if (member.notForWebinar && webinar) continue;
    if (member.type === 'string' && v === '') continue;
    out[member.name] = v as JsonValue;
  }
  return out;
}

function normalizeArray(spec: FieldSpec, value: unknown[]): JsonValue[] {
  if (spec.name === 'trackingCodes') {
    return value
      .filter(isPlainObject)
      .map((c) => ({ name: String(c.name ?? ''), value: String(c.value ?? '') }));
  }
  return value.map((v) => (typeof v === 'string' ? v : String(v)));
}

/**
 * A live time written in the file's zone, with that zone's offset at the instant. The response
 * gives times in the zone of the request's `timezone` header (UTC without one) and its
 * `timezone` field echoes that zone, not the one the meeting was scheduled in; so the zone is
 * the import's choice, and the instant is what must round-trip.
 */
function inZone(value: string, zone: string): string {
  const ms = liveInstant(value);
  return ms === undefined ? value : formatInZone(ms, zone);
}

/**
 * The updatable fields of a live meeting as a desired file would state them, without the
 * values that cannot be written back: secrets, options of the other meeting kind, settings
 * whose switch is off, empty values. `specs` is MEETING_FIELDS for a series, OCCURRENCE_FIELDS
 * for a scheduled meeting.
 */
export function importableFields(live: Record<string, unknown>, specs: readonly FieldSpec[] = MEETING_FIELDS, zone = 'UTC'): ImportedDocument {
  const webinar = isWebinar(live);
  const fields: JsonObject = {};
  const secrets: string[] = [];
  const omitted: Omission[] = [];
  const series = specs === MEETING_FIELDS;
  for (const spec of specs) {
    if (spec.name === 'timezone') {
      // The live value only echoes the request's zone: a series file states the chosen zone
      // (its start/end are written in it); an override inherits the series' zone.
      if (series) fields.timezone = zone;
      continue;
    }
    const value = live[spec.name];
    if (isEmptyValue(value)) continue;
    if (spec.webinarOnly && !webinar) continue;
    if (spec.notForWebinar && webinar) continue;
    if (spec.sensitive) {
      secrets.push(spec.name);
      continue;
    }
    if (!typeMatches(spec, value)) {
      omitted.push({ field: spec.name, reason: `unexpected ${Array.isArray(value) ? 'array' : typeof value} value` });
      continue;
    }
    if (spec.type === 'object') {
      const obj = importableObject(spec, value as JsonObject, webinar, omitted);
      if (Object.keys(obj).length > 0) fields[spec.name] = obj;
    } else if (spec.type === 'array') {
      const arr = normalizeArray(spec, value as unknown[]);
      if (arr.length > 0) fields[spec.name] = arr;
    } else if (spec.type === 'datetime') {
      fields[spec.name] = inZone(value as string, zone);
    } else {
      fields[spec.name] = value as JsonValue;
    }
  }
  for (const dep of DEPENDENCIES) {
    if (getPath(fields, dep.path) !== undefined && getPath(live, dep.needs) !== true) deletePath(fields, dep.path);
  }
  const minutes = fields.joinBeforeHostMinutes;
  if (typeof minutes === 'number' && !(JOIN_BEFORE_HOST_MINUTES[webinar ? 'webinar' : 'meeting'] as readonly number[]).includes(minutes)) {
    delete fields.joinBeforeHostMinutes;
    omitted.push({ field: 'joinBeforeHostMinutes', reason: `${minutes} is not a value a desired file may hold for a ${webinar ? 'webinar' : 'meeting'}` });
  }
  return { fields, secrets, omitted };
}

/**
 * The round-trip guard: keep only the values that the planner itself finds equal to the live
 * meeting, and that its live-state rules accept. Whatever it drops is reported, not written.
 */
export function keepRoundTripping(
  fields: JsonObject,
  live: LiveMeeting,
  specs: readonly FieldSpec[],
  ctx: FieldContext,
): { fields: JsonObject; omitted: Omission[] } {
  const kept: JsonObject = {};
  const omitted: Omission[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const [name, value] of Object.entries(fields)) {
    const spec = byName.get(name);
    if (name === 'timezone') {
      // Not a live value to compare: the live one echoes the request, the planner does not diff it.
      kept[name] = value;
      continue;
    }
    if (!spec) {
      omitted.push({ field: name, reason: 'not settable here' });
      continue;
    }
    const outcome = compareField(spec, value, live[name], ctx);
    if (outcome.kind === 'equal') kept[name] = value;
    else omitted.push({ field: name, reason: outcome.kind === 'invalid' ? outcome.message : 'the planner would read it back differently' });
  }
  // Drop whatever the live-state rules object to, until they have nothing left to say.
  for (let guard = 0; guard < 10; guard++) {
    const problems = liveStateProblems(kept, live);
    if (problems.length === 0) break;
    for (const p of problems) {
      deletePath(kept, p.field.split('.'));
      omitted.push({ field: p.field, reason: p.message });
    }
  }
  return { fields: kept, omitted };
}

function instantFromScheduledId(id: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * The override of one modified scheduled meeting: only what differs from its series, decided by
 * the planner's comparison. start/end differ when they moved from the slot the series gives the
 * occurrence (its id names the original start; the series gives the duration).
 */
export function occurrenceOverride(
  series: LiveMeeting,
  occurrence: LiveMeeting,
  ctx: Omit<FieldContext, 'zone'> & { zone?: string },
): { fields: JsonObject; omitted: Omission[] } {
  const zone = ctx.zone ?? 'UTC';
  const own = importableFields(occurrence, OCCURRENCE_FIELDS, zone);
  const inherited = importableFields(series, OCCURRENCE_FIELDS, zone).fields;
  const fieldCtx: FieldContext = { ...ctx, zone };
  const differing: JsonObject = {};
  const originalStart = instantFromScheduledId(occurrence.id);
  const seriesStart = liveInstant(series.start);
  const seriesEnd = liveInstant(series.end);
  const slot: Record<string, number | undefined> = {
    start: originalStart,
    end: originalStart !== undefined && seriesStart !== undefined && seriesEnd !== undefined ? originalStart + (seriesEnd - seriesStart) : undefined,
  };
  for (const spec of OCCURRENCE_FIELDS) {
    const value = own.fields[spec.name];
    if (value === undefined) continue;
    if (spec.type === 'datetime') {
      const at = liveInstant(value);
      const expected = slot[spec.name];
      if (at === undefined || expected === undefined || truncateToMinute(at) !== truncateToMinute(expected)) differing[spec.name] = value;
      continue;
    }
    const outcome = compareField(spec, value, inherited[spec.name], fieldCtx);
    if (outcome.kind === 'equal') continue;
    if (spec.type === 'object' && outcome.kind === 'differs' && isPlainObject(outcome.send) && isPlainObject(value)) {
      // Only the members that differ; a member the occurrence lacks cannot be stated, so it is left out.
      const members: JsonObject = {};
      for (const [k, v] of Object.entries(outcome.send)) if (v !== null && value[k] !== undefined) members[k] = value[k];
      if (Object.keys(members).length > 0) differing[spec.name] = members;
      continue;
    }
    differing[spec.name] = value;
  }
  const checked = keepRoundTripping(differing, occurrence, OCCURRENCE_FIELDS, fieldCtx);
  return { fields: checked.fields, omitted: [...own.omitted, ...checked.omitted] };
}

/** What a file will hold, before rendering: the series fields and its occurrence overrides. */
export interface FileContent {
  id: string;
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
  if (typeof name !== 'string' || !(name in fields) || name === 'id') return false;
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
export function keepValid(content: FileContent, file: string): { content: FileContent; omitted: Omission[]; problems: string[] } {
  const omitted: Omission[] = [];
  const data = (): Record<string, unknown> => ({
    id: content.id,
    ...(content.hostEmail === undefined ? {} : { hostEmail: content.hostEmail }),
    ...content.fields,
    ...(content.occurrences.length > 0 ? { occurrences: content.occurrences.map((o) => ({ id: o.id, ...o.fields })) } : {}),
  });
  const nowhere = () => ({ line: 1, col: 1 });
  for (let round = 0; round < 20; round++) {
    const doc = data();
    const schemaErrors = checkFileSchema({ file, relPath: file, kind: 'document', data: doc, locate: nowhere }).filter((d) => d.severity === 'error');
    const errors =
      schemaErrors.length > 0
        ? schemaErrors
        : checkDocumentRules({ file, relPath: file, data: doc, defaults: [], locate: () => ({ file, line: 1, col: 1 }), declares: () => true }).filter(
            (d) => d.severity === 'error',
          );
    if (errors.length === 0) return { content, omitted, problems: [] };
    let dropped = false;
    for (const d of errors) {
      if (d.field !== undefined && dropAt(content, pathParts(d.field))) {
        omitted.push({ field: d.field, reason: d.message });
        dropped = true;
      }
    }
    if (!dropped) return { content, omitted, problems: errors.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`) };
  }
  return { content, omitted, problems: ['the file still does not validate after leaving values out'] };
}

// ---------------------------------------------------------------------------------------------
// File names

/** Lowercase ASCII letters and digits joined by `-`, at most `max` characters; '' when nothing is left. */
export function slugify(text: string, max = MAX_FILE_BASE): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

function idTag(id: string, length = 8): string {
  return slugify(id.slice(0, length)) || 'meeting';
}

/**
 * File base names (without `.yaml`) for a batch of series, in input order: the title made safe,
 * or the id when the title leaves nothing. Names that two series of the batch share, or that a
 * loader reserves, get the first 8 characters of the id; should those still clash, the whole id.
 */
export function fileBaseNames(series: readonly { id: string; title?: unknown }[]): string[] {
  const first = series.map((s) => {
    const base = typeof s.title === 'string' ? slugify(s.title) : '';
    return base === '' ? slugify(s.id) || 'meeting' : base;
  });
  const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const firstCounts = count(first);
  const second = first.map((base, i) =>
    firstCounts.get(base)! > 1 || RESERVED_BASES.has(base) ? withSuffix(base, idTag(series[i].id)) : base,
  );
  const secondCounts = count(second);
  return second.map((base, i) => (secondCounts.get(base)! > 1 ? withSuffix(first[i], slugify(series[i].id) || 'meeting') : base));
}

function withSuffix(base: string, suffix: string): string {
  if (base === suffix) return base;
  const room = Math.max(1, MAX_FILE_BASE - suffix.length - 1);
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/** `MEETING_<NAME>_PASSWORD`: the variable an imported file points a secret at. */
export function secretVariable(fileBase: string, field: string): string {
  const name = fileBase.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const what = field.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return `MEETING_${name}_${what}`;
}

// ---------------------------------------------------------------------------------------------
// YAML

export interface RenderInput {
  id: string;
  hostEmail?: string;
  fields: JsonObject;
  secrets: readonly string[];
  occurrences: readonly { id: string; fields: JsonObject }[];
  /** The `$schema` reference for editors: a path relative to the file, or a URL. */
  schemaRef: string;
  fileBase: string;
}

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/** One meeting file: the schema modeline, id, hostEmail, the fields in catalogue order, then the overrides. */
export function renderMeetingYaml(doc: RenderInput): string {
  const lines: string[] = [`# yaml-language-server: $schema=${doc.schemaRef}`];
  const emit = (value: Record<string, unknown>) => lines.push(stringify(value, YAML_OPTIONS).replace(/\n$/, ''));
  emit({ id: doc.id });
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

function orderedOccurrence(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const spec of OCCURRENCE_FIELDS) if (fields[spec.name] !== undefined) out[spec.name] = fields[spec.name];
  return out;
}

/** This package's meeting schema, as a path relative to `fromDir` (posix separators). */
export function schemaRefFrom(fromDir: string, schemaPath = packageSchemaPath()): string {
  const rel = relative(fromDir, schemaPath).split(sep).join(posix.sep);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function packageSchemaPath(): string {
  // From meetings/ (sources under vitest) or dist/meetings/ (built): the first folder up with schemas/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'schemas', 'meeting.schema.json');
}

// ---------------------------------------------------------------------------------------------
// Existing files

/** The `id:` each desired file under `dir` declares (a light scan: top-level `id:` line only). */
export async function declaredIds(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  async function walk(sub: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        const text = await readFile(join(dir, rel), 'utf8').catch(() => '');
        const m = /^id:[ \t]*["']?([^"'\s#]+)["']?/m.exec(text);
        if (m && !found.has(m[1])) found.set(m[1], rel);
      }
    }
  }
  await walk('');
  return found;
}

// ---------------------------------------------------------------------------------------------
// Reading from Webex and writing the files

export interface ImportSelection {
  ids?: readonly string[];
  all?: boolean;
  hosts?: readonly string[];
  /** The window series are listed over (ISO). */
  from: string;
  to: string;
  /** IANA zone the files state as `timezone` and write their times in; default UTC. */
  timezone?: string;
}

export interface ImportOptions {
  client: WebexClient;
  outDir: string;
  selection: ImportSelection;
  force?: boolean;
  concurrency: number;
  /** Local clock, used only when no response carried a Date header. */
  fallbackNowMs?: number;
  /** The schema file to point editors at; default this package's. */
  schemaPath?: string;
  /** Called as each listed series is read in full (failed: its modified occurrences could not be listed). */
  onProgress?(p: { done: number; failed: number; remaining: number }): void;
}

export interface ImportedFile {
  meetingId: string;
  /** Path relative to the output directory. */
  file: string;
  occurrences: number;
  omitted: Omission[];
}

export interface ImportProblem {
  meetingId?: string;
  file?: string;
  message: string;
}

/** Series a `--host` listing returned that the host is only invited to: not theirs to import. */
export interface SkippedInvitations {
  host: string;
  count: number;
}

export interface ImportReport {
  written: ImportedFile[];
  skipped: ImportProblem[];
  errors: ImportProblem[];
  warnings: string[];
  invitations: SkippedInvitations[];
}

/** The default listing window: from a day ago to ten years ahead (everything still updatable). */
export function defaultWindow(nowMs: number): { from: string; to: string } {
  return { from: new Date(nowMs - DAY).toISOString(), to: new Date(nowMs + 10 * YEAR).toISOString() };
}

/**
 * A List Meetings query of meeting series that relies on no server default: `current` defaults
 * to true, which gives each series the start and end of its next or ongoing occurrence instead
 * of its own; `from`/`to` default to a week around now and `max` to 10.
 */
export function seriesListQuery(window: { from: string; to: string }, hostEmail?: string): ListQuery {
  return { meetingType: 'meetingSeries', current: false, from: window.from, to: window.to, max: 100, hostEmail };
}

/** Same address, whatever the case (Webex compares emails case-insensitively). */
export function sameEmail(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

interface Found {
  meeting: LiveMeeting;
  /** The series' own host (the item's `hostEmail`): what the file states. */
  hostEmail?: string;
  /** The `hostEmail` the series was listed with, if any: the view follow-up reads use. */
  actingHost?: string;
}

function describeError(e: { status?: number; message: string; trackingId?: string }): string {
  const status = e.status ? ` (${e.status})` : '';
  const tracking = e.trackingId ? ` [trackingId ${e.trackingId}]` : '';
  return `${e.message}${status}${tracking}`;
}

function ownHost(m: LiveMeeting): string | undefined {
  return typeof m.hostEmail === 'string' && m.hostEmail !== '' ? m.hostEmail : undefined;
}

async function readSeries(opts: ImportOptions, errors: ImportProblem[], invitations: SkippedInvitations[]): Promise<Found[]> {
  const { client, selection } = opts;
  const limit = pLimit(Math.max(1, opts.concurrency));
  const byId = new Map<string, Found>();
  // Without hostEmail Webex lists the caller's hosted and invited meetings (an admin's too);
  // with it, that user's hosted meetings and their invitations, each item naming its own host.
  const lists: { hostEmail?: string }[] = [];
  if (selection.all) lists.push({});
  for (const host of new Set((selection.hosts ?? []).map((h) => h.toLowerCase()))) lists.push({ hostEmail: host });
  const listed = await Promise.all(lists.map((l) => limit(async () => ({ ...l, result: await client.listMeetings(seriesListQuery(selection, l.hostEmail)) }))));
  const invitedOf = new Map<string, Set<string>>();
  for (const { hostEmail, result } of listed) {
    if (!result.ok) {
      errors.push({ message: `could not list meeting series${hostEmail ? ` of ${hostEmail}` : ''}: ${describeError(result.error)}` });
      continue;
    }
    for (const m of result.value as LiveMeeting[]) {
      if (m.meetingType !== undefined && m.meetingType !== 'meetingSeries') continue;
      const host = ownHost(m);
      if (hostEmail !== undefined && host !== undefined && !sameEmail(host, hostEmail)) {
        // An invitation of this host: its file would name another host, and it is not this host's to import.
        let ids = invitedOf.get(hostEmail);
        if (!ids) invitedOf.set(hostEmail, (ids = new Set()));
        ids.add(m.id);
        continue;
      }
      const previous = byId.get(m.id);
      // The listing made as the series' own host is the view its follow-up reads should use.
      if (!previous || (hostEmail !== undefined && previous.actingHost === undefined)) byId.set(m.id, { meeting: m, hostEmail: host ?? hostEmail, actingHost: hostEmail });
    }
  }
  for (const [host, ids] of invitedOf) {
    const count = [...ids].filter((id) => !byId.has(id)).length;
    if (count > 0) invitations.push({ host, count });
  }
  const gets = await Promise.all(
    (selection.ids ?? []).filter((id) => !byId.has(id)).map((id) => limit(async () => ({ id, result: await client.getMeeting(id) }))),
  );
  for (const { id, result } of gets) {
    if (!result.ok) {
      const why = result.error.status === 404 ? 'not found (404): check the id, or whether the token can see it' : describeError(result.error);
      errors.push({ meetingId: id, message: `could not read meeting series ${id}: ${why}` });
      continue;
    }
    const m = result.value as LiveMeeting;
    if (m.meetingType !== undefined && m.meetingType !== 'meetingSeries') {
      errors.push({ meetingId: id, message: `${id} is a ${String(m.meetingType)}, not a meeting series: import its series (meetingSeriesId ${String(m.meetingSeriesId ?? '?')})` });
      continue;
    }
    byId.set(id, { meeting: m, hostEmail: ownHost(m) });
  }
  // Stable output: by title, then id, whatever order the server listed them in.
  return [...byId.values()].sort(
    (a, b) => String(a.meeting.title ?? '').localeCompare(String(b.meeting.title ?? '')) || a.meeting.id.localeCompare(b.meeting.id),
  );
}

async function readModifiedOccurrences(client: WebexClient, found: Found, window: { from: string; to: string }): Promise<LiveMeeting[] | string> {
  if (typeof found.meeting.recurrence !== 'string' || found.meeting.recurrence === '') return [];
  const result = await client.listMeetings({
    meetingSeriesId: found.meeting.id,
    meetingType: 'scheduledMeeting',
    isModified: true,
    current: false,
    from: window.from,
    to: window.to,
    max: 100,
    hostEmail: found.actingHost,
  });
  if (!result.ok) return describeError(result.error);
  return (result.value as Meeting[])
    .filter((m): m is LiveMeeting => m.isModified === true && m.meetingType !== 'meeting' && m.id.startsWith(`${found.meeting.id}_`))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Read the selected series and write one file each. Never throws for API or file problems: they are in the report. */
export async function importMeetings(opts: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { written: [], skipped: [], errors: [], warnings: [], invitations: [] };
  const zone = opts.selection.timezone ?? 'UTC';
  if (!isValidTimeZone(zone)) {
    report.errors.push({ message: `timezone: '${zone}' is not an IANA time zone (for example Europe/Berlin or UTC)` });
    return report;
  }
  const series = await readSeries(opts, report.errors, report.invitations);
  const nowMs = opts.client.serverNow() ?? opts.fallbackNowMs ?? Date.now();
  const limit = pLimit(Math.max(1, opts.concurrency));
  let done = 0;
  let failed = 0;
  const modified = await Promise.all(
    series.map((s) =>
      limit(async () => {
        const read = await readModifiedOccurrences(opts.client, s, opts.selection);
        done += 1;
        if (typeof read === 'string') failed += 1;
        opts.onProgress?.({ done, failed, remaining: series.length - done });
        return read;
      }),
    ),
  );

  const existing = await declaredIds(opts.outDir);
  if (existsSync(join(opts.outDir, 'defaults.yaml')) || existsSync(join(opts.outDir, '_defaults.yaml'))) {
    report.warnings.push(`${opts.outDir} has a defaults file: plan will apply it to the imported meetings, which may then show changes`);
  }
  const bases = fileBaseNames(series.map((s) => ({ id: s.meeting.id, title: s.meeting.title })));
  const usedNames = new Set<string>();

  for (const [i, found] of series.entries()) {
    const live = found.meeting;
    const occurrences = modified[i];
    if (typeof occurrences === 'string') {
      report.errors.push({ meetingId: live.id, message: `could not list the modified scheduled meetings of ${live.id}: ${occurrences}` });
      continue;
    }
    let base = bases[i];
    let file = existing.get(live.id);
    if (file === undefined) {
      file = `${base}.yaml`;
      // A file of another meeting holds the name: take the id-suffixed one rather than clobber it.
      if (usedNames.has(file) || (await lstat(join(opts.outDir, file)).then(() => true, () => false))) {
        base = withSuffix(base, idTag(live.id));
        file = `${base}.yaml`;
      }
    } else {
      base = posix.basename(file).replace(/\.ya?ml$/i, '');
    }
    usedNames.add(file);

    const ctx: FieldContext = { zone, nowMs, env: {} };
    const imported = importableFields(live, MEETING_FIELDS, zone);
    const checked = keepRoundTripping(imported.fields, live, MEETING_FIELDS, ctx);
    const omitted = [...imported.omitted, ...checked.omitted];
    const overrides: { id: string; fields: JsonObject }[] = [];
    for (const occ of occurrences) {
      const override = occurrenceOverride(live, occ, { zone, nowMs, env: {} });
      omitted.push(...override.omitted.map((o) => ({ ...o, field: `occurrences[${occ.id}].${o.field}` })));
      if (Object.keys(override.fields).length > 0) overrides.push({ id: occ.id, fields: override.fields });
    }
    const valid = keepValid({ id: live.id, hostEmail: found.hostEmail, fields: checked.fields, occurrences: overrides }, file);
    omitted.push(...valid.omitted);
    if (valid.problems.length > 0) {
      report.errors.push({ meetingId: live.id, file, message: `${live.id} cannot be written as a valid file: ${valid.problems.join('; ')}` });
      continue;
    }
    const text = renderMeetingYaml({
      id: live.id,
      hostEmail: found.hostEmail,
      fields: valid.content.fields,
      secrets: imported.secrets,
      occurrences: valid.content.occurrences,
      schemaRef: schemaRefFrom(dirname(join(opts.outDir, file)), opts.schemaPath),
      fileBase: base,
    });
    const written = await writeFileAtomic(opts.outDir, file, text, { mode: 0o644, overwrite: opts.force === true });
    if (!written.ok) {
      const target = { meetingId: live.id, file };
      if (written.error.code === 'atomicWrite.exists') report.skipped.push({ ...target, message: `${file} already exists (use --force to overwrite it)` });
      else report.errors.push({ ...target, message: written.error.message });
      continue;
    }
    report.written.push({ meetingId: live.id, file, occurrences: valid.content.occurrences.length, omitted });
    for (const o of omitted) report.warnings.push(`${file}: left out ${o.field}: ${o.reason}`);
  }
  return report;
}

