/**
 * What every send starts from: the applier's options, the request body (secrets resolved, the
 * request controls added), the host a change acts for, and the real id of a change planned
 * against a series this apply creates.
 */
import type { SendContext } from '../../core/executor.js';
import type { Change, JsonObject } from '../../core/plan.js';
import { resolveFieldSecret } from '../redact.js';
import { FIELD_BY_NAME } from '../catalogue.js';
import type { WebexClient } from '../client.js';
import { SCHEDULED_MEETING_ID } from '../ids.js';
import { NEW_ID_PREFIX } from '../ownership.js';
import { sensitiveOf } from '../planner.js';

export interface WebexApplierOptions {
  client: WebexClient;
  env: Readonly<Record<string, string | undefined>>;
  sendEmail: boolean;
  /** How many times a create whose answer was lost (and that its lookup did not find) is sent again. Default: the client's default retries. */
  maxRetries?: number;
  /** The wait before a create whose answer was lost is looked up (default LOST_ANSWER_LOOKUP_DELAY_MS); shorter only where the server is known to store at once, as a test's emulator does. */
  lookupDelayMs?: number;
}

/** The body apply sends: the planned patch with secret references resolved and the request controls added. */
export function requestBody(change: Change, opts: Pick<WebexApplierOptions, 'env' | 'sendEmail'>): { ok: true; body: JsonObject } | { ok: false; message: string } {
  const body: JsonObject = {};
  for (const [key, value] of Object.entries(change.patch)) {
    if (FIELD_BY_NAME.get(key)?.sensitive && value !== null) {
      const resolved = resolveFieldSecret(value, opts.env);
      if (!resolved.ok) return { ok: false, message: `${key}: ${resolved.message}` };
      body[key] = resolved.value;
    } else {
      body[key] = value;
    }
  }
  body.sendEmail = opts.sendEmail;
  const hostEmail = hostOf(change);
  if (hostEmail !== undefined) body.hostEmail = hostEmail;
  return { ok: true, body };
}

/** The values the change's secret references resolve to, and its concealed members (a stream key): what no message about it may quote. */
export function secretsOf(change: Change, env: WebexApplierOptions['env']): string[] {
  const secrets: string[] = [];
  // The patch's never-printed values, as the plan names them: `password`, `liveStream.rtmpUrl`.
  for (const path of sensitiveOf(change.patch) ?? []) {
    const [key, member] = path.split('.');
    const value = change.patch[key];
    if (member === undefined) {
      const resolved = value === null ? undefined : resolveFieldSecret(value, env);
      if (resolved?.ok) secrets.push(resolved.value);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value[member] === 'string') secrets.push(value[member]);
  }
  return secrets;
}

/** The host an admin acts for (`hostEmail`), when the file names one. */
export function hostOf(change: Change): string | undefined {
  return typeof change.controls?.hostEmail === 'string' ? change.controls.hostEmail : undefined;
}

/**
 * The id a change is sent to. A placeholder (`new:<key>` or `new:<key>_<stamp>`) names the series
 * its dependency created: the server's id takes the place of the placeholder's series part.
 */
export function targetId(change: Change, context: SendContext): { ok: true; id: string } | { ok: false; message: string } {
  if (!change.id.startsWith(NEW_ID_PREFIX)) return { ok: true, id: change.id };
  const dep = context.dependency;
  if (dep?.createdId === undefined || !change.id.startsWith(dep.id)) {
    return { ok: false, message: `not sent: ${change.id} names a series this apply did not create` };
  }
  const id = dep.createdId + change.id.slice(dep.id.length);
  if (id !== dep.createdId && !SCHEDULED_MEETING_ID.test(id)) return { ok: false, message: `not sent: ${change.id} is not a scheduled meeting of ${dep.id}` };
  return { ok: true, id };
}
