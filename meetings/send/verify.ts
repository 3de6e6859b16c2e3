/** Comparing what was sent with what the server holds: after a send, and before one (a re-run). */
import type { Change, JsonObject, JsonValue } from '../../core/plan.js';
import { SENSITIVE_TEXT } from '../../core/render/changes.js';
import { FIELD_BY_NAME, type FieldSpec } from '../catalogue.js';
import type { Meeting } from '../client.js';
import { compareField, liveInstant, trackingCodesAdded } from '../normalize.js';
import { zoneOf } from '../planner.js';

/**
 * The site's default codes Webex adds to the tracking codes sent: as the plan read them
 * (`Change.expected`), else taken to be whatever the live list holds beyond those sent (a plan
 * that could not read the site's codes).
 */
function addedCodes(change: Change, live: Meeting) {
  const expected = change.expected?.trackingCodes;
  return trackingCodesAdded(change.patch.trackingCodes, expected ?? live.trackingCodes);
}

/** An object field's value with its concealed members (the stream key in liveStream.rtmpUrl) masked, for a message. */
function withoutConcealed(spec: FieldSpec, value: JsonValue | undefined): JsonValue | undefined {
  if (!spec.members?.some((m) => m.concealed) || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const masked: JsonObject = { ...value };
  for (const member of spec.members) if (member.concealed && member.name in masked) masked[member.name] = SENSITIVE_TEXT;
  return masked;
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
      trackingCodes: { defaults: addedCodes(change, response) },
    });
    if (outcome.kind === 'differs') {
      warnings.push(`${key}: the server stored ${JSON.stringify(withoutConcealed(spec, (response[key] ?? null) as JsonValue))} instead of ${JSON.stringify(withoutConcealed(spec, sent))}; the next plan will show it`);
    }
  }
  return warnings;
}

/** Does the live meeting already carry every value of the patch? (A re-run after an interrupted apply.) */
export function alreadyCarries(change: Change, live: Meeting, env: Readonly<Record<string, string | undefined>>, nowMs: number): boolean {
  const zone = zoneOf(change.patch);
  return Object.entries(change.patch).every(([key, value]) => {
    const spec = FIELD_BY_NAME.get(key);
    if (!spec) return false;
    // A read cannot show it: it was sent with the time fields, which are compared.
    if (spec.unrevealed) return true;
    const ctx = { zone, nowMs, env, startMs: liveInstant(change.patch.start ?? live.start), trackingCodes: { defaults: addedCodes(change, live) } };
    return compareField(spec, value as JsonValue, live[key], ctx).kind === 'equal';
  });
}
