/**
 * A live meeting as an emulator seed entry (schemas/seed.schema.json), with nothing secret in it.
 * Only the settings the catalogue knows are kept, every one the meeting has (and null for each it
 * lacks, so the emulator's defaults do not stand in for a value Webex does not have); the
 * response-only fields (meeting numbers, join links, SIP addresses, host keys, phone passwords,
 * telephony, registration) are left out: the emulator makes up its own, and a plan never reads them.
 *
 * A secret (a field the catalogue marks sensitive, and the secret-like members below) becomes the
 * file's own value when that equals the live one — a `${env:NAME}` reference, which the emulator
 * reads from its environment, or a literal already in the repository — and a placeholder otherwise.
 * So a plan against the snapshot shows a secret change exactly where a plan against Webex does,
 * and the snapshot tells no more than that plan does.
 */
import { deepEqual, isPlainObject } from '../core/diff.js';
import type { JsonObject, JsonValue } from '../core/plan.js';
import { secretRefName } from '../core/secrets.js';
import { MEETING_FIELDS, OCCURRENCE_FIELDS, type FieldSpec } from './catalogue.js';
import { compareField } from './normalize.js';
import type { Meeting } from './client.js';

/** What a secret the snapshot does not carry reads as: clearly no one's password. */
export const SECRET_PLACEHOLDER = 'REDACTED-by-meetctl-snapshot';

/**
 * Members that may embed a credential although the catalogue does not mark them sensitive: an
 * RTMP ingest URL carries the stream key.
 */
const SECRET_LIKE_MEMBERS: readonly { field: string; member: string; placeholder: string }[] = [
  { field: 'liveStream', member: 'rtmpUrl', placeholder: 'rtmp://redacted.invalid/meetctl-snapshot' },
];

/** Settings a seed states: not start/end (written as instants) nor what reads do not reveal (the zone). */
const seedSpecs = (specs: readonly FieldSpec[]) => specs.filter((s) => s.type !== 'datetime' && s.unrevealed === undefined);
const SERIES_SPECS = seedSpecs(MEETING_FIELDS);
const OCCURRENCE_SPECS = seedSpecs(OCCURRENCE_FIELDS);

export interface SecretNote {
  /** The series or scheduled meeting that holds it. */
  meetingId: string;
  field: string;
  kept: boolean;
  /** Why it could not be compared (a variable not set), when that is the reason it was replaced. */
  unknown?: string;
}

export interface EntryContext {
  env: Readonly<Record<string, string | undefined>>;
  nowMs: number;
  /** Where a secret's fate is recorded, for the summary and the warnings. */
  notes: SecretNote[];
}

function secretValue(spec: FieldSpec, desired: unknown, live: unknown, meetingId: string, ctx: EntryContext): JsonValue {
  if (live === undefined) return null;
  const field = spec.name;
  if (typeof desired === 'string' && secretRefName(desired) !== undefined) {
    const outcome = compareField(spec, desired, live, { zone: 'UTC', nowMs: ctx.nowMs, env: ctx.env });
    if (outcome.kind === 'equal') {
      ctx.notes.push({ meetingId, field, kept: true });
      return desired;
    }
    ctx.notes.push({ meetingId, field, kept: false, unknown: outcome.kind === 'invalid' ? outcome.message : undefined });
    return SECRET_PLACEHOLDER;
  }
  ctx.notes.push({ meetingId, field, kept: false });
  return SECRET_PLACEHOLDER;
}

/** An object setting as stored: null for each catalogue member it lacks, secret-like members scrubbed. */
function objectValue(spec: FieldSpec, live: JsonObject, desired: unknown): JsonObject {
  const out: JsonObject = { ...live };
  for (const member of spec.members ?? []) if (out[member.name] === undefined) out[member.name] = null;
  for (const s of SECRET_LIKE_MEMBERS) {
    if (s.field !== spec.name || typeof live[s.member] !== 'string') continue;
    const own = isPlainObject(desired) ? desired[s.member] : undefined;
    if (own !== live[s.member]) out[s.member] = s.placeholder;
  }
  return out;
}

function settingValue(spec: FieldSpec, live: unknown, desired: unknown, meetingId: string, ctx: EntryContext): JsonValue {
  if (spec.sensitive) return secretValue(spec, desired, live, meetingId, ctx);
  if (live === undefined || live === null) return null;
  if (spec.type === 'object' && isPlainObject(live)) return objectValue(spec, live, desired);
  return live as JsonValue;
}

export interface DesiredView {
  fields: Record<string, unknown>;
  occurrences: readonly { id: string; fields: Record<string, unknown> }[];
}

/** The series entry (without occurrences): its times as instants, the file's zone, every setting. */
export function seriesEntry(live: Meeting, desired: DesiredView, zone: string, ctx: EntryContext): JsonObject {
  const entry: JsonObject = { id: live.id };
  for (const key of ['hostEmail', 'scheduledType'] as const) if (typeof live[key] === 'string') entry[key] = live[key] as string;
  entry.timezone = zone;
  entry.start = String(live.start);
  entry.end = String(live.end);
  if (typeof live.state === 'string') entry.state = live.state;
  for (const spec of SERIES_SPECS) entry[spec.name] = settingValue(spec, live[spec.name], seriesDesired(spec, desired), live.id, ctx);
  return entry;
}

/**
 * The file's value a series setting is judged against: the series' own, else — for a secret the
 * series leaves out — a reference one of its scheduled meetings declares. Such a meeting has the
 * series' secret when it is the same, and the copy gives it the series' value: a placeholder there
 * would turn a secret production holds into a change.
 */
function seriesDesired(spec: FieldSpec, desired: DesiredView): unknown {
  const own = desired.fields[spec.name];
  if (own !== undefined || !spec.sensitive) return own;
  return desired.occurrences.map((o) => o.fields[spec.name]).find((v) => typeof v === 'string' && secretRefName(v) !== undefined);
}

/**
 * A modified scheduled meeting: its times, and each setting that differs from its series (the
 * emulator gives it the series' value of every other).
 */
export function modifiedEntry(live: Meeting, series: Meeting, desired: DesiredView, ctx: EntryContext): JsonObject {
  const own = desired.occurrences.find((o) => o.id === live.id)?.fields ?? {};
  const entry: JsonObject = { id: live.id, isModified: true, start: String(live.start), end: String(live.end) };
  if (typeof live.state === 'string') entry.state = live.state;
  for (const spec of OCCURRENCE_SPECS) {
    if (deepEqual(live[spec.name], series[spec.name])) continue;
    entry[spec.name] = settingValue(spec, live[spec.name], own[spec.name], live.id, ctx);
  }
  return entry;
}

/** A declared scheduled meeting that is not modified: only its state, which the rule cannot give. */
export function unmodifiedEntry(live: Meeting): JsonObject {
  return typeof live.state === 'string' ? { id: live.id, isModified: false, state: live.state } : { id: live.id, isModified: false };
}
