/**
 * What a live meeting becomes in a desired file. The contract is that `plan` on what import
 * wrote shows no change, so every value is checked with the planner's own comparison
 * (`compareField`) and live-state rules (`liveStateProblems`) against the very meeting it came
 * from; a value that would not round-trip is left out (and said so), never written in a form
 * the planner would read differently.
 */
import { isPlainObject } from '../../core/diff.js';
import type { JsonObject, JsonValue } from '../../core/plan.js';
import { MEETING_FIELDS, OCCURRENCE_FIELDS, type FieldSpec } from '../catalogue.js';
import { isWebinar, kindOf } from '../field-rules.js';
import { originalStartOf } from '../ids.js';
import { compareField, liveInstant, type FieldContext } from '../normalize.js';
import { liveStateProblems } from '../live-rules.js';
import type { Meeting } from '../client.js';
import { formatInZone, truncateToMinute } from '../time.js';

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
  if (spec.compare === 'trackingCodes') {
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
    if (spec.unrevealed) {
      // The live value only echoes the request's zone: a series file states the chosen zone
      // (its start/end are written in it); an override inherits the series' zone.
      if (series) fields[spec.name] = zone;
      continue;
    }
    const value = live[spec.name];
    // An empty value a file can state is stated (`null`): a field the file leaves out is not
    // managed, and drift would not see an agenda or a rule added in Webex.
    if (isEmptyValue(value)) {
      if (series && spec.clearable) fields[spec.name] = null;
      continue;
    }
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
  const kind = kindOf(live);
  for (const spec of specs) {
    const value = fields[spec.name];
    if (!spec.valuesByKind || typeof value !== 'number' || spec.valuesByKind[kind].includes(value)) continue;
    delete fields[spec.name];
    omitted.push({ field: spec.name, reason: `${value} is not a value a desired file may hold for a ${kind}` });
  }
  return { fields, secrets, omitted };
}

/**
 * The round-trip guard: keep only the values that the planner itself finds equal to the live
 * meeting, and that its live-state rules accept. Whatever it drops is reported, not written.
 */
export function keepRoundTripping(
  fields: JsonObject,
  live: Meeting,
  specs: readonly FieldSpec[],
  ctx: FieldContext,
): { fields: JsonObject; omitted: Omission[] } {
  const kept: JsonObject = {};
  const omitted: Omission[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const [name, value] of Object.entries(fields)) {
    const spec = byName.get(name);
    if (spec?.unrevealed) {
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

/**
 * The override of one modified scheduled meeting: only what differs from its series, decided by
 * the planner's comparison. start/end differ when they moved from the slot the series gives the
 * occurrence (its id names the original start; the series gives the duration).
 */
export function occurrenceOverride(
  series: Meeting,
  occurrence: Meeting,
  ctx: Omit<FieldContext, 'zone'> & { zone?: string },
): { fields: JsonObject; omitted: Omission[] } {
  const zone = ctx.zone ?? 'UTC';
  const own = importableFields(occurrence, OCCURRENCE_FIELDS, zone);
  const inherited = importableFields(series, OCCURRENCE_FIELDS, zone).fields;
  const fieldCtx: FieldContext = { ...ctx, zone };
  const differing: JsonObject = {};
  const originalStart = originalStartOf(occurrence.id);
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
