/**
 * The Webex side of apply: how one planned Change is sent, checked for staleness and
 * verified. The generic executor in core/ decides when; this module decides how.
 */
import type { FreshResult, SendResult } from '../core/executor.js';
import type { Change, JsonObject, JsonValue } from '../core/plan.js';
import type { Meeting, WebexClient, WebexError } from './client.js';
import { FIELD_BY_NAME, MEETING_FIELDS, OCCURRENCE_FIELDS } from './catalogue.js';
import { resolveSecret } from '../core/secrets.js';
import { compareField, liveInstant, trackingCodesAdded } from './normalize.js';
import { meetingFingerprint } from './field-diff.js';
import { zoneOf } from './planner.js';

export interface WebexApplierOptions {
  client: WebexClient;
  env: Readonly<Record<string, string | undefined>>;
  sendEmail: boolean;
}


/**
 * Webex refusals that mean "this meeting cannot be updated" rather than "your request was wrong",
 * by what the reason (`errors[].description`) says. Update a Meeting documents: ended or
 * in-progress meeting instances, ad-hoc meetings (`adhoc` with a `roomId`), personal room
 * meetings, meetings created by a calendar connector, and meetings starting 10 or more years ahead.
 */
const NOT_UPDATABLE_REFUSALS: readonly RegExp[] = [
  /\b(has ended|in[- ]progress)\b/i,
  /\bad[- ]?hoc\b/i,
  /\bpersonal room\b/i,
  /\bcalendar connector\b/i,
  /\b(10|ten) (or more )?years\b/i,
];

/** A final client error (not 401, 404 or 429, which say nothing about the meeting) whose reason is a documented refusal. */
export function isNotUpdatable(error: WebexError): boolean {
  const status = error.status;
  if (status === undefined || status < 400 || status >= 500 || status === 401 || status === 404 || status === 429) return false;
  return NOT_UPDATABLE_REFUSALS.some((pattern) => pattern.test(error.message));
}

function describe(error: WebexError): string {
  return error.message;
}

/** The body apply sends: the planned patch with secret references resolved and the request controls added. */
export function requestBody(change: Change, opts: Pick<WebexApplierOptions, 'env' | 'sendEmail'>): { ok: true; body: JsonObject } | { ok: false; message: string } {
  const body: JsonObject = {};
  for (const [key, value] of Object.entries(change.patch)) {
    if (FIELD_BY_NAME.get(key)?.sensitive && value !== null) {
      const resolved = resolveSecret(value, opts.env);
      if (!resolved.ok) return { ok: false, message: `${key}: ${resolved.message}` };
      body[key] = resolved.value;
    } else {
      body[key] = value;
    }
  }
  body.sendEmail = opts.sendEmail;
  if (typeof change.controls?.hostEmail === 'string') body.hostEmail = change.controls.hostEmail;
  return { ok: true, body };
}

/** Fields of the patch the server stored differently (minute rounding, a truncated rule...). */
export function verifyResponse(change: Change, response: Meeting, nowMs: number): string[] {
  const warnings: string[] = [];
  // The zone sent, never the response's: that echoes the zone the request was answered in.
  const zone = zoneOf(change.patch);
  for (const [key, sent] of Object.entries(change.patch)) {
    const spec = FIELD_BY_NAME.get(key);
    if (!spec || spec.sensitive || spec.unrevealed) continue;
    const outcome = compareField(spec, sent, response[key], {
      zone,
      nowMs,
      env: {},
      startMs: liveInstant(change.patch.start ?? response.start),
      trackingCodeDefaults: trackingCodesAdded(change.patch.trackingCodes, response.trackingCodes),
    });
    if (outcome.kind === 'differs') {
      warnings.push(`${key}: the server stored ${JSON.stringify(response[key] ?? null)} instead of ${JSON.stringify(sent)}; the next plan will show it`);
    }
  }
  return warnings;
}

/** Does the live meeting already carry every value of the patch? (A re-run after an interrupted apply.) */
function alreadyCarries(change: Change, live: Meeting, env: WebexApplierOptions['env'], nowMs: number): boolean {
  const zone = zoneOf(change.patch);
  return Object.entries(change.patch).every(([key, value]) => {
    const spec = FIELD_BY_NAME.get(key);
    if (!spec) return false;
    // A read cannot show it: it was sent with the time fields, which are compared.
    if (spec.unrevealed) return true;
    const ctx = { zone, nowMs, env, startMs: liveInstant(change.patch.start ?? live.start), trackingCodeDefaults: trackingCodesAdded(change.patch.trackingCodes, live.trackingCodes) };
    return compareField(spec, value as JsonValue, live[key], ctx).kind === 'equal';
  });
}

export function createWebexApplier(opts: WebexApplierOptions) {
  const { client } = opts;
  const nowMs = () => client.serverNow() ?? Date.now();

  async function send(change: Change, signal: AbortSignal): Promise<SendResult> {
    const body = requestBody(change, opts);
    if (!body.ok) return { ok: false, attempts: 0, message: body.message };
    const result = await client.patchMeeting(change.id, body.body, { signal });
    const attempts = result.attempts ?? 1;
    if (!result.ok) {
      return {
        ok: false,
        attempts,
        message: describe(result.error),
        httpStatus: result.error.status,
        trackingId: result.error.trackingId,
        notUpdatable: isNotUpdatable(result.error),
      };
    }
    return { ok: true, attempts, warnings: verifyResponse(change, result.value, nowMs()) };
  }

  async function checkFresh(change: Change, signal: AbortSignal): Promise<FreshResult> {
    // Occurrences re-sent after their own series' rescheduling carry no fingerprint: our change moves them.
    if (!change.fingerprint) return { fresh: true };
    const hostEmail = typeof change.controls?.hostEmail === 'string' ? change.controls.hostEmail : undefined;
    const result = await client.getMeeting(change.id, { hostEmail, signal });
    if (!result.ok) {
      if (result.error.status === 404) return { fresh: false, message: 'the meeting no longer exists (404)' };
      return { error: `could not re-read the meeting: ${describe(result.error)}` };
    }
    const live = result.value;
    const specs = change.kind === 'scheduledMeeting' ? OCCURRENCE_FIELDS : MEETING_FIELDS;
    if (meetingFingerprint(live, specs) === change.fingerprint) return { fresh: true };
    if (alreadyCarries(change, live, opts.env, nowMs())) return { alreadyApplied: true };
    return { fresh: false, message: 'the meeting changed since the plan was made; run meetctl plan again' };
  }

  return { send, checkFresh };
}
