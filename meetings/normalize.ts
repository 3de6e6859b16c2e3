/**
 * Normalization: turn a desired value and a live value of one field into forms that compare
 * equal exactly when Webex would consider them the same, so that a meeting that matches its
 * file never shows a change. Also decides the value to send when they differ.
 */
import type { JsonObject, JsonValue } from '../core/plan.js';
import { computeMergePatch, deepEqual } from '../core/diff.js';
import { compareStrings } from '../core/order.js';
import { resolveFieldSecret } from './redact.js';
import { type FieldSpec } from './catalogue.js';
import { formatInZone, parseMeetingTime, truncateToMinute, YEAR_MS } from './time.js';
import { formatRecurrence, lastOccurrence, normalizeRecurrence, parseRecurrence, UNTIL_CAP_SENTENCE, untilToMs, type RuleAnchor } from './recurrence.js';

export interface FieldContext {
  /** The zone that wall-clock times in the file are read in, and that sent times carry the offset of. */
  zone: string | undefined;
  nowMs: number;
  env: Readonly<Record<string, string | undefined>>;
  /** The site's tracking codes as the meeting's host sees them; absent when they are unknown. */
  trackingCodes?: HostCodes;
  /** The series' first start once the patch is applied: where a rule's occurrences are laid out from (in `zone`, UTC without one). */
  startMs?: number;
  /**
   * Compared with a meeting about to be created: no field is taken at the value a read assumes
   * when it leaves the field out, since CreateMeetingObject documents no such default (only an
   * ad-hoc meeting's), so every declared value is sent.
   */
  creating?: boolean;
}

export type FieldOutcome =
  | { kind: 'equal'; warnings: string[] }
  | { kind: 'differs'; send: JsonValue; before: JsonValue | undefined; warnings: string[]; stored?: JsonValue }
  | { kind: 'invalid'; message: string };

/** Epoch ms of a live `start`/`end` (the API always sends an offset). */
export function liveInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A desired `start`/`end`, read in the meeting's zone when it has no offset, kept to the minute. */
export function desiredInstant(value: unknown, zone: string | undefined): { ok: true; ms: number } | { ok: false; message: string } {
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : undefined;
  if (text === undefined) return { ok: false, message: 'must be an ISO 8601 date-time' };
  const parsed = parseMeetingTime(text, zone);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return { ok: true, ms: truncateToMinute(parsed.epochMs) };
}

function canonicalLiveRule(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = parseRecurrence(value);
  return parsed.ok ? formatRecurrence(parsed.rule) : value;
}

/**
 * The live UNTIL when the live rule is the desired one with its UNTIL capped by Webex when it was
 * written: the rules agree but for UNTIL, the live UNTIL is no later than the one the file asks for,
 * and it lies beyond now + 4 years (a cap written at some time during the last year).
 */
function cappedUntilStored(normalizedRule: string, untilAsWritten: string, liveCanonical: string, nowMs: number): string | undefined {
  const strip = (r: string) => r.replace(/;UNTIL=[0-9TZ]+/, '');
  if (strip(normalizedRule) !== strip(liveCanonical)) return undefined;
  const liveUntil = /;UNTIL=([0-9TZ]+)/.exec(liveCanonical)?.[1];
  const liveMs = liveUntil === undefined ? undefined : untilToMs(liveUntil);
  const wantedMs = untilToMs(untilAsWritten);
  if (liveMs === undefined || wantedMs === undefined || liveMs > wantedMs) return undefined;
  return liveMs > nowMs + 4 * YEAR_MS ? liveUntil : undefined;
}

/**
 * The live COUNT when the live rule is the desired one with its COUNT reduced by Webex to the
 * five-year date on an earlier day: the rules agree but for COUNT, the live COUNT is smaller than
 * today's, and its last meeting lies beyond now + 4 years (a cap written at some time during the last year).
 */
function cappedCountStored(normalizedRule: string, liveCanonical: string, anchor: RuleAnchor, nowMs: number): number | undefined {
  const strip = (r: string) => r.replace(/;COUNT=\d+/, '');
  if (strip(normalizedRule) !== strip(liveCanonical)) return undefined;
  const countOf = (r: string) => Number(/;COUNT=(\d+)/.exec(r)?.[1] ?? NaN);
  const liveCount = countOf(liveCanonical);
  if (!(liveCount < countOf(normalizedRule))) return undefined;
  const last = lastOccurrence(liveCanonical, anchor.startMs, anchor.zone);
  return last !== undefined && last > nowMs + 4 * YEAR_MS ? liveCount : undefined;
}

export interface TrackingCode {
  name: string;
  value: string;
}

/** The site's tracking codes as one host sees them: what a left-out optional code gets, and what a select code takes. */
export interface HostCodes {
  /** The default option of each optional code (`{name, value}`): Webex assigns it to a meeting whose list leaves that code out. */
  defaults?: readonly TrackingCode[];
  /** The values each select code takes (the site's options and the host's own value), by the code's lower-cased name. */
  choices?: ReadonlyMap<string, readonly string[]>;
}

/** A list as Webex stores it: the codes given, plus the default of every optional site code it leaves out. */
export function withDefaultTrackingCodes(value: unknown, defaults: readonly TrackingCode[] | undefined): unknown {
  if (!Array.isArray(value) || defaults === undefined) return value;
  const named = new Set(value.map((c) => String((c as JsonObject | null)?.name ?? '').toLowerCase()));
  return [...value, ...defaults.filter((d) => !named.has(d.name.toLowerCase()))];
}

/** Why a list's select code would be refused: its value is none of the values the host's read offers. */
function notAChoice(value: unknown, choices: ReadonlyMap<string, readonly string[]> | undefined): string | undefined {
  if (!Array.isArray(value) || choices === undefined) return undefined;
  for (const item of value as unknown[]) {
    const { name, value: chosen } = (item ?? {}) as { name?: unknown; value?: unknown };
    const allowed = typeof name === 'string' ? choices.get(name.toLowerCase()) : undefined;
    if (allowed !== undefined && !allowed.includes(String(chosen))) {
      return `tracking code ${name as string} is a select: its value must be one of ${allowed.map((v) => `'${v}'`).join(', ')} (the site's options and the host's own value), not '${String(chosen)}'`;
    }
  }
  return undefined;
}

/**
 * The codes a stored list holds beyond those sent: what the server added. Verifying a write takes
 * them for the site's defaults (apply does not read the site's codes again).
 */
export function trackingCodesAdded(sent: unknown, stored: unknown): TrackingCode[] | undefined {
  if (!Array.isArray(sent) || !Array.isArray(stored)) return undefined;
  const named = new Set(sent.map((c) => String((c as JsonObject | null)?.name ?? '').toLowerCase()));
  return (sortedTrackingCodes(stored) as unknown as TrackingCode[]).filter((c) => !named.has(c.name.toLowerCase()));
}

function sortedTrackingCodes(value: unknown): JsonValue {
  if (!Array.isArray(value)) return [];
  return [...value]
    .map((c) => ({ name: String((c as JsonObject).name ?? ''), value: String((c as JsonObject).value ?? '') }))
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.value, b.value));
}

function sortedStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String).sort() : [];
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '';
}

/** Compare one top-level field of a desired document with the live meeting. */
export function compareField(spec: FieldSpec, desired: unknown, live: unknown, ctx: FieldContext): FieldOutcome {
  const warnings: string[] = [];

  if (desired === null) {
    if (!spec.clearable) return { kind: 'invalid', message: `${spec.name} cannot be cleared with null` };
    return isEmpty(live) ? { kind: 'equal', warnings } : { kind: 'differs', send: null, before: live as JsonValue, warnings };
  }

  if (spec.sensitive) {
    const resolved = resolveFieldSecret(desired, ctx.env);
    if (!resolved.ok) return { kind: 'invalid', message: resolved.message };
    if (resolved.value === live) return { kind: 'equal', warnings };
    // The reference travels in the plan; the value is resolved only when apply sends it.
    return { kind: 'differs', send: desired as string, before: live === undefined ? undefined : '(sensitive)', warnings };
  }

  switch (spec.compare) {
    case 'instant': {
      const want = desiredInstant(desired, ctx.zone);
      if (!want.ok) return { kind: 'invalid', message: want.message };
      const have = liveInstant(live);
      if (have !== undefined && truncateToMinute(have) === want.ms) return { kind: 'equal', warnings };
      return { kind: 'differs', send: instantToSend(want.ms, ctx.zone), before: live as JsonValue, warnings };
    }
    case 'rule':
      return compareRecurrence(desired, live, ctx);
    case 'trackingCodes':
    case 'unorderedSet': {
      const refused = spec.compare === 'trackingCodes' ? notAChoice(desired, ctx.trackingCodes?.choices) : undefined;
      if (refused !== undefined) return { kind: 'invalid', message: refused };
      // Tracking codes are sent as written and compared as Webex will store them.
      const stored = spec.compare === 'trackingCodes' ? withDefaultTrackingCodes(desired, ctx.trackingCodes?.defaults) : desired;
      if (deepEqual(comparableValue(spec, stored), comparableValue(spec, live))) return { kind: 'equal', warnings };
      if (spec.emptyListWarning !== undefined && Array.isArray(desired) && desired.length === 0) warnings.push(spec.emptyListWarning);
      // Otherwise the plan would show the same list before and after, and no reason for the change.
      if (stored !== desired && deepEqual(comparableValue(spec, desired), comparableValue(spec, live))) {
        const added = (trackingCodesAdded(desired, stored) ?? []).map((c) => `${c.name}: ${c.value}`).join(', ');
        warnings.push(`${spec.name}: the meeting's list is the file's already, but it lacks the site's default ${added}, which Webex adds to any list sent: this update adds it`);
      }
      const outcome: FieldOutcome = { kind: 'differs', send: desired as JsonValue, before: (live ?? []) as JsonValue, warnings };
      // The site's defaults Webex will add, known now: a re-run compares with them instead of guessing.
      if (stored !== desired) outcome.stored = stored as JsonValue;
      return outcome;
    }
    case 'mergedObject': {
      const current = live && typeof live === 'object' ? (live as JsonObject) : {};
      const patch = computeMergePatch(current, desired as JsonObject);
      if (Object.keys(patch).length === 0) return { kind: 'equal', warnings };
      // An object Webex takes whole is sent as the file has it (the file gives every required member).
      const send = spec.sentWhole ? (desired as JsonObject) : patch;
      const before: JsonObject = {};
      for (const key of Object.keys(send)) if (key in current) before[key] = current[key];
      return { kind: 'differs', send, before, warnings };
    }
    case 'scalar': {
      // A webinar-only field does not apply to the regular meeting a create makes: at its default it is left out.
      const assumed = ctx.creating && !spec.webinarOnly ? undefined : spec.apiDefault;
      const effectiveLive = live === undefined ? assumed : live;
      if (deepEqual(desired, effectiveLive)) return { kind: 'equal', warnings };
      return { kind: 'differs', send: desired as JsonValue, before: live as JsonValue, warnings };
    }
  }
}

/** An instant as sent: with the offset of the meeting's zone, UTC without one. */
export function instantToSend(ms: number, zone: string | undefined): string {
  return zone ? formatInZone(ms, zone) : new Date(ms).toISOString();
}

/** A live value in the form two reads of the same state agree on: times as instants, rules canonical, lists sorted. */
function comparableValue(spec: FieldSpec, value: unknown): JsonValue {
  switch (spec.compare) {
    case 'instant': {
      const ms = liveInstant(value);
      return ms === undefined ? String(value) : new Date(truncateToMinute(ms)).toISOString();
    }
    case 'rule':
      return canonicalLiveRule(value) ?? null;
    case 'trackingCodes':
      return sortedTrackingCodes(value);
    case 'unorderedSet':
      return sortedStrings(value);
    case 'mergedObject':
    case 'scalar':
      return value as JsonValue;
  }
}

function compareRecurrence(desired: unknown, live: unknown, ctx: FieldContext): FieldOutcome {
  if (typeof desired !== 'string') return { kind: 'invalid', message: 'recurrence must be an RRULE string' };
  const anchor = ctx.startMs === undefined ? undefined : { startMs: ctx.startMs, zone: ctx.zone ?? 'UTC' };
  const normalized = normalizeRecurrence(desired, ctx.nowMs, anchor);
  if ('error' in normalized) return { kind: 'invalid', message: normalized.error };
  // Webex's adjustments are worth a warning whether or not the live rule already carries them:
  // the file says something Webex does not keep, and the reviewer should see it on every plan.
  const warnings = normalized.warnings.map((w) => `recurrence: ${w}`);
  const liveRule = canonicalLiveRule(live);
  if (liveRule !== undefined) {
    if (liveRule === normalized.rule) return { kind: 'equal', warnings };
    const from = normalized.untilCappedFrom;
    const stored = from === undefined ? undefined : cappedUntilStored(normalized.rule, from, liveRule, ctx.nowMs);
    if (from !== undefined && stored !== undefined) {
      // Capped on an earlier day: say what Webex stored rather than what a write today would store.
      const others = warnings.filter((w) => !w.startsWith(`recurrence: ${UNTIL_CAP_SENTENCE}`));
      return { kind: 'equal', warnings: [...others, `recurrence: Webex ends a series at most five years after it is written: UNTIL=${from} is stored as UNTIL=${stored}.`] };
    }
    const count = normalized.countCappedFrom;
    const storedCount = count === undefined || anchor === undefined ? undefined : cappedCountStored(normalized.rule, liveRule, anchor, ctx.nowMs);
    if (count !== undefined && storedCount !== undefined) {
      const others = warnings.filter((w) => !w.startsWith(`recurrence: ${UNTIL_CAP_SENTENCE}`));
      return { kind: 'equal', warnings: [...others, `recurrence: Webex ends a series at most five years after it is written: COUNT=${count} is stored as COUNT=${storedCount}.`] };
    }
  }
  return { kind: 'differs', send: normalized.rule, before: live as JsonValue, warnings };
}

/**
 * The comparable form of a live meeting's managed fields, for fingerprints: secrets and fields
 * reads do not reveal left out, times as instants, so a list and a GET of one meeting agree.
 */
export function comparableState(meeting: Record<string, unknown>, fields: readonly FieldSpec[]): JsonObject {
  const state: JsonObject = {};
  for (const spec of fields) {
    if (spec.sensitive || spec.unrevealed) continue;
    const value = meeting[spec.name];
    if (value === undefined) continue;
    state[spec.name] = comparableValue(spec, value);
  }
  return state;
}
