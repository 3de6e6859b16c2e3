/**
 * The field-by-field comparison of a desired document with a live meeting, read from the
 * catalogue: which fields a kind of meeting takes, how each compares, which are sent along with
 * another field's change, and what a scheduled meeting inherits from its series.
 */
import type { JsonObject, JsonValue } from '../core/plan.js';
import { fingerprint } from '../core/fingerprint.js';
import { FIELD_BY_NAME, MEETING_FIELDS, OCCURRENCE_FIELDS, SERIES_RESCHEDULING_FIELDS, UNREVEALED_FIELDS, type FieldSpec } from './catalogue.js';
import type { Meeting } from './client.js';
import type { DesiredOccurrence } from './desired.js';
import { fieldsRequiring, switchPathOf, valueAt } from './field-rules.js';
import { timeProblems, type Problem } from './live-rules.js';
import { compareField, comparableState, desiredInstant, instantToSend, liveInstant, type FieldContext, type HostCodes } from './normalize.js';

const CATALOGUE_INDEX = new Map(MEETING_FIELDS.map((f, i) => [f.name, i]));
function catalogueIndex(name: string): number {
  return CATALOGUE_INDEX.get(name) ?? Number.MAX_SAFE_INTEGER;
}

export interface DiffResult {
  patch: JsonObject;
  before: JsonObject;
  /** Patched fields Webex will store otherwise than sent (Change.expected). */
  expected: JsonObject;
  warnings: string[];
  problems: Problem[];
}

export interface DiffContext {
  nowMs: number;
  env: FieldContext['env'];
  /** The zone the file schedules the meeting in. */
  zone: string | undefined;
  /** The site's tracking codes as the meeting's host sees them. */
  trackingCodes: HostCodes | undefined;
  /** Against a meeting about to be created (FieldContext.creating). */
  creating?: boolean;
}

/** Field-by-field comparison of the managed fields, then the time rules on what will be sent. */
export function diffFields(fields: Record<string, unknown>, live: Meeting, specs: readonly FieldSpec[], ctx: DiffContext): DiffResult {
  const { zone, trackingCodes } = ctx;
  const result: DiffResult = { patch: {}, before: {}, expected: {}, warnings: [], problems: [] };
  // A rule is laid out from the start the meeting will have: the file's, else the live one.
  const wanted = fields.start === undefined ? undefined : desiredInstant(fields.start, zone);
  const startMs = wanted?.ok ? wanted.ms : liveInstant(live.start);
  const fieldCtx: FieldContext = { zone, nowMs: ctx.nowMs, env: ctx.env, startMs, trackingCodes, creating: ctx.creating };
  const allowed = namesOf(specs);
  const seen = asSwitched(fields, live);
  // Catalogue order, not file order: the same meeting always prints the same way.
  const names = Object.keys(fields).sort((a, b) => catalogueIndex(a) - catalogueIndex(b));
  for (const name of names) {
    const desired = fields[name];
    const spec = FIELD_BY_NAME.get(name);
    if (!spec || !allowed.has(name)) {
      result.problems.push({ field: name, message: `${name} cannot be set on a ${live.meetingType === 'scheduledMeeting' ? 'scheduled meeting' : 'meeting series'}` });
      continue;
    }
    // Nothing to compare it with: the live value is whatever the read asked for.
    if (spec.unrevealed) continue;
    const outcome = compareField(spec, desired, seen[name], fieldCtx);
    if (outcome.kind === 'invalid') {
      result.problems.push({ field: name, message: `${name}: ${outcome.message}` });
    } else {
      if (outcome.kind === 'differs') {
        result.patch[name] = outcome.send;
        if (outcome.before !== undefined) result.before[name] = outcome.before;
        if (outcome.stored !== undefined) result.expected[name] = outcome.stored;
      }
      // An equal field may still warn (Webex stores the file's rule differently): the warning is kept.
      result.warnings.push(...outcome.warnings);
    }
  }
  addUnrevealed(result.patch, fields, specs);
  result.problems.push(...timeProblems(result.patch, live, ctx.nowMs, ctx.creating === true));
  return result;
}

/**
 * The live meeting as Webex will report it once the file's switches are applied: a value the file
 * gives as its switch's off value (`Requirement.offValue`) is what Webex reports while that switch
 * is off, so with the switch ending up off it is already there and is not sent (Webex would refuse it).
 */
function asSwitched(fields: Record<string, unknown>, live: Meeting): Meeting {
  let seen = live;
  for (const { path, requires } of WITH_OFF_VALUE) {
    if (valueAt(fields, path) !== requires.offValue) continue;
    const switchPath = switchPathOf(path, requires);
    const wanted = valueAt(fields, switchPath);
    if ((wanted === undefined ? valueAt(live, switchPath) : wanted) === true) continue;
    seen = withValueAt(seen, path, requires.offValue) as Meeting;
  }
  return seen;
}

const WITH_OFF_VALUE = fieldsRequiring((requires) => requires.offValue !== undefined);

/** A copy of `obj` with `value` at `path`, the objects along the path copied and the rest shared. */
function withValueAt(obj: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const base = obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>) : {};
  return { ...base, [path[0]]: withValueAt(base[path[0]], path.slice(1), value) };
}

// Per list of specs (there are two: the series' and the occurrence's), worked out once rather than per meeting.
const specNames = new WeakMap<readonly FieldSpec[], ReadonlySet<string>>();
const unrevealedSpecs = new WeakMap<readonly FieldSpec[], readonly FieldSpec[]>();

function namesOf(specs: readonly FieldSpec[]): ReadonlySet<string> {
  let names = specNames.get(specs);
  if (names === undefined) specNames.set(specs, (names = new Set(specs.map((s) => s.name))));
  return names;
}

function unrevealedOf(specs: readonly FieldSpec[]): readonly FieldSpec[] {
  let unrevealed = unrevealedSpecs.get(specs);
  if (unrevealed === undefined) unrevealedSpecs.set(specs, (unrevealed = specs.filter((s) => s.unrevealed)));
  return unrevealed;
}

/** The file's values of the fields reads do not reveal, added to a patch that changes what they go with. */
function addUnrevealed(patch: JsonObject, fields: Record<string, unknown>, specs: readonly FieldSpec[]): void {
  for (const spec of unrevealedOf(specs)) {
    const value = fields[spec.name];
    if (!spec.unrevealed || value === undefined || value === null) continue;
    if (spec.unrevealed.sentWith.some((f) => f in patch)) patch[spec.name] = value as JsonValue;
  }
}

/** An occurrence's fields with the series file's values of unrevealed fields it does not set itself. */
export function withSeriesUnrevealed(own: Record<string, unknown>, series: Record<string, unknown>): Record<string, unknown> {
  const out = { ...own };
  for (const spec of UNREVEALED_FIELDS) if (out[spec.name] === undefined && series[spec.name] !== undefined) out[spec.name] = series[spec.name];
  return out;
}

/** Fields of a series patch that unmodified scheduled meetings inherit. */
export function inheritedFromSeries(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) {
    // A scheduled meeting takes neither the series' times nor what only a series has. Secrets travel
    // as references in a patch: never merge them into a live view as if they were values.
    const spec = FIELD_BY_NAME.get(k);
    if ((SERIES_RESCHEDULING_FIELDS as readonly string[]).includes(k) || spec?.scope === 'series' || spec?.sensitive || spec?.unrevealed) continue;
    out[k] = v;
  }
  return out;
}

/** The send-ready form of an occurrence override, for re-sending it whole after a rescheduling. */
export function fullOverride(occurrence: DesiredOccurrence, seriesFields: Record<string, unknown>, zone: string | undefined): { patch: JsonObject; problems: Problem[] } {
  const patch: JsonObject = {};
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(occurrence.fields)) {
    const spec = FIELD_BY_NAME.get(name);
    if (!spec || spec.scope !== 'any') {
      problems.push({ field: name, message: `${name} cannot be set on a scheduled meeting` });
    } else if (spec.unrevealed) {
      continue;
    } else if (spec.compare === 'instant') {
      const at = desiredInstant(value, zone);
      if (!at.ok) problems.push({ field: name, message: `${name}: ${at.message}` });
      else patch[name] = instantToSend(at.ms, zone);
    } else {
      patch[name] = value as JsonValue;
    }
  }
  addUnrevealed(patch, withSeriesUnrevealed(occurrence.fields, seriesFields), OCCURRENCE_FIELDS);
  return { patch, problems };
}

export function meetingFingerprint(meeting: Meeting, specs: readonly FieldSpec[] = MEETING_FIELDS): string {
  return fingerprint({ id: meeting.id, ...comparableState(meeting, specs) });
}

