/**
 * Seeds: the meetings (and tokens) an emulator starts with, as an object or a JSON/YAML file.
 * A seed gives only what matters to a test; every other field gets a realistic, deterministic value.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_HOST, defaultSettings, identityFields, type ScheduledType } from './generated.js';
import { STATE_FIELDS } from './fields.js';
import { mergePatch } from './merge.js';
import { firstMeetingMs, normalizeRule } from './recurrence.js';
import { isValidZone, parseDateTime, parseUtcStamp } from './time.js';
import { DEFAULT_CLIENT, occurrenceId, setTags, type OccurrenceRecord, type SeriesRecord } from './model.js';
import { checkSeedSchema } from './seed-check.js';
import type { CreateQuotaSetting } from './quota.js';

export interface SeedToken {
  token: string;
  admin?: boolean;
  /** The user the token belongs to; an admin's defaults to DEFAULT_HOST. */
  hostEmail?: string;
  label?: string;
  /** The client (integration) the token was issued to; integration tags are per client. Default DEFAULT_CLIENT. */
  clientId?: string;
}

export interface SeedOccurrence {
  /** The scheduled meeting id, or just its original start (ISO instant or `YYYYMMDDTHHMMSSZ`). */
  id?: string;
  originalStart?: string;
  state?: string;
  isModified?: boolean;
  cancelled?: boolean;
  [field: string]: unknown;
}

export interface SeedMeeting {
  id: string;
  title?: string;
  hostEmail?: string;
  scheduledType?: ScheduledType;
  timezone?: string;
  start: string;
  end: string;
  recurrence?: string;
  roomId?: string;
  /** An ad-hoc meeting of the space roomId (CreateMeetingObject.adhoc: "When true, roomId is required"); it cannot be updated. */
  adhoc?: boolean;
  createdByCalendarConnector?: boolean;
  state?: string;
  /** Emails of users invited to the meeting (internal: the official meeting schema has no such field). */
  invitees?: string[];
  occurrences?: SeedOccurrence[];
  [field: string]: unknown;
}

export interface SeedTrackingCode {
  name: string;
  inputMode?: 'text' | 'select' | 'editableSelect' | 'hostProfileSelect';
  type?: 'optional' | 'required' | 'adminSet' | 'notUsed' | 'notApplicable';
  service?: 'All' | 'MeetingCenter' | 'EventCenter' | 'TrainingCenter' | 'SupportCenter';
  options?: { value: string; defaultValue?: boolean }[];
}

export interface SeedFile {
  /** The clock: the instant the emulator starts at (a snapshot's: the live server's time when it was taken). */
  now?: string;
  tokens?: SeedToken[];
  meetings?: SeedMeeting[];
  /** The site's tracking codes (MeetingTrackingCodesObject), site-wide; none by default. */
  trackingCodes?: SeedTrackingCode[];
  /** Users' own values of site codes (user-level tracking codes): the default of that code for meetings they host. */
  userTrackingCodes?: { email: string; name: string; value: string }[];
  /** The create quota of POST /meetings (see quota.ts); off unless given. */
  createQuota?: CreateQuotaSetting;
}

export const DEFAULT_ADMIN_TOKEN = 'emulator-admin-token';

export function readSeedFile(path: string): SeedFile {
  const text = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  let parsed: unknown;
  try {
    parsed = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`seed ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`seed ${path}: expected a mapping with meetings`);
  // YAML turns unquoted timestamps into Date objects; the seed format speaks ISO strings.
  const seed: unknown = JSON.parse(JSON.stringify(parsed));
  checkSeedSchema(seed, path);
  return seed;
}

const SEED_CONTROL_KEYS = new Set([
  'id', 'hostEmail', 'scheduledType', 'start', 'end', 'roomId', 'createdByCalendarConnector', 'state', 'occurrences', 'invitees', 'adhoc',
]);

function fail(where: string, message: string): never {
  throw new Error(`seed meeting ${where}: ${message}`);
}

/** Split a seed entry into writable settings and response-only extras. */
function splitFields(entry: Record<string, unknown>, skip: ReadonlySet<string>): { settings: Record<string, unknown>; extra: Record<string, unknown> } {
  const settings: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (skip.has(key) || key === 'start' || key === 'end') continue;
    if (key in STATE_FIELDS) settings[key] = value;
    else extra[key] = value;
  }
  return { settings, extra };
}

function dropEmpty(settings: Record<string, unknown>): void {
  for (const key of ['integrationTags', 'trackingCodes'])
    if (Array.isArray(settings[key]) && (settings[key] as unknown[]).length === 0) delete settings[key];
}

export function seriesFromSeed(entry: SeedMeeting, nowMs: number): SeriesRecord {
  if (typeof entry?.id !== 'string' || entry.id === '') throw new Error('seed meeting without an id');
  const id = entry.id;
  const scheduledType: ScheduledType = entry.scheduledType ?? 'meeting';
  if (!['meeting', 'webinar', 'personalRoomMeeting'].includes(scheduledType)) fail(id, `unknown scheduledType ${scheduledType}`);
  const timezone = entry.timezone ?? 'UTC';
  if (!isValidZone(timezone)) fail(id, `unknown time zone ${timezone}`);
  let startMs = parseDateTime(entry.start, timezone);
  let endMs = parseDateTime(entry.end, timezone);
  if (startMs === undefined || endMs === undefined) fail(id, 'start and end must be ISO 8601 date-times');
  if (endMs <= startMs) fail(id, 'end must be after start');
  const hostEmail = entry.hostEmail ?? DEFAULT_HOST;
  if (entry.adhoc === true && typeof entry.roomId !== 'string') fail(id, 'an ad-hoc meeting needs a roomId');
  const invitees = entry.invitees ?? [];
  if (!Array.isArray(invitees) || !invitees.every((x) => typeof x === 'string' && x.includes('@'))) fail(id, 'invitees must be a list of email addresses');
  const { settings: given, extra } = splitFields(entry, SEED_CONTROL_KEYS);
  const settings = mergePatch(defaultSettings(id, scheduledType), given) as Record<string, unknown>;
  settings.title ??= `Meeting ${id.slice(0, 6)}`;
  settings.timezone = timezone;
  if (typeof settings.recurrence === 'string') {
    const rule = normalizeRule(settings.recurrence, nowMs, { firstStartMs: startMs, zone: timezone });
    if (!rule.ok) fail(id, rule.message);
    settings.recurrence = rule.rule;
    // MeetingSeriesObject.start: "the date and time the first meeting of the series starts", as a create's.
    const first = firstMeetingMs(rule.rule, startMs, timezone) ?? startMs;
    endMs = first + (endMs - startMs);
    startMs = first;
  }
  dropEmpty(settings);
  const series: SeriesRecord = {
    id,
    hostEmail,
    invitees: invitees.map((x) => x.toLowerCase()),
    scheduledType,
    startMs,
    endMs,
    settings,
    identity: { ...identityFields(id, hostEmail, scheduledType), ...extra },
    roomId: entry.roomId,
    adhoc: entry.adhoc === true,
    createdByCalendarConnector: entry.createdByCalendarConnector === true,
    state: entry.state,
    overrides: new Map(),
  };
  // A seed's tags are the default client's: tokens without a clientId see them.
  if (Array.isArray(settings.integrationTags)) setTags(series, DEFAULT_CLIENT, settings.integrationTags as string[]);
  delete settings.integrationTags;
  for (const occ of entry.occurrences ?? []) addSeedOccurrence(series, occ);
  return series;
}

function originalStartOf(series: SeriesRecord, occ: SeedOccurrence): number {
  const key = occ.originalStart ?? occ.id;
  if (typeof key !== 'string') fail(series.id, 'an occurrence needs an id or originalStart');
  const stamp = /_(\d{8}T\d{6}Z)$/.exec(key)?.[1] ?? key;
  const ms = parseUtcStamp(stamp) ?? parseDateTime(key, String(series.settings.timezone));
  if (ms === undefined) fail(series.id, `cannot read the occurrence key ${key}`);
  if (occ.id !== undefined && occ.id.includes('_') && !occ.id.startsWith(`${series.id}_`)) fail(series.id, `occurrence ${occ.id} belongs to another series`);
  return ms;
}

function addSeedOccurrence(series: SeriesRecord, occ: SeedOccurrence): void {
  const original = originalStartOf(series, occ);
  const id = occurrenceId(series.id, original);
  const zone = typeof occ.timezone === 'string' ? occ.timezone : String(series.settings.timezone);
  const { settings: given, extra } = splitFields(occ, new Set(['id', 'originalStart', 'state', 'isModified', 'cancelled', 'recurrence', 'integrationTags']));
  const moved = occ.start !== undefined || occ.end !== undefined;
  const modified = occ.isModified ?? (moved || Object.keys(given).length > 0);
  const record: OccurrenceRecord = { id, isModified: modified, state: occ.state, cancelled: occ.cancelled === true };
  if (Object.keys(extra).length > 0) record.extra = extra;
  if (modified) {
    const { recurrence: _r, integrationTags: _t, ...inherited } = series.settings;
    record.settings = mergePatch(inherited, given) as Record<string, unknown>;
  }
  if (occ.start !== undefined) record.startMs = parseDateTime(occ.start, zone) ?? fail(series.id, `bad start of occurrence ${id}`);
  if (occ.end !== undefined) record.endMs = parseDateTime(occ.end, zone) ?? fail(series.id, `bad end of occurrence ${id}`);
  if (record.endMs === undefined && record.startMs !== undefined) record.endMs = record.startMs + (series.endMs - series.startMs);
  if (record.startMs === undefined && record.endMs !== undefined) record.startMs = original;
  series.overrides.set(id, record);
}

export function tokensFromSeed(seed: SeedFile): SeedToken[] {
  const tokens = seed.tokens && seed.tokens.length > 0 ? seed.tokens : [{ token: DEFAULT_ADMIN_TOKEN, admin: true, label: 'admin' }];
  for (const t of tokens) {
    if (typeof t.token !== 'string' || t.token === '') throw new Error('seed token without a token value');
    if (!t.admin && typeof t.hostEmail !== 'string') throw new Error(`seed token ${t.label ?? '(unlabelled)'} needs admin: true or a hostEmail`);
  }
  return tokens;
}
