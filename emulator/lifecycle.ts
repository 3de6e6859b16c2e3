/**
 * The lifecycle routes: POST /meetings (createMeeting) and DELETE /meetings/{meetingId}
 * (deleteMeeting), with the create quota and the fault that stores a create and then cuts the
 * connection before answering.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessOf, hosts, type Principal } from './access.js';
import { prepareCreate } from './create.js';
import { sendError, sendJson } from './http.js';
import { isPlainObject } from './merge.js';
import { timezoneOf, type Found } from './model.js';
import type { CreateQuota } from './quota.js';
import type { RequestLogEntry } from './requestlog.js';
import type { ServerContext } from './server.js';

/** A POST body as the front read it: its media type, and the JSON or why it is none. */
export interface WriteBody {
  type: string;
  body: unknown;
  bodyError?: string;
}

export function handleCreate(
  ctx: ServerContext,
  quota: CreateQuota,
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLogEntry,
  principal: Principal,
  sent: WriteBody,
  now: number,
): void {
  const body = isPlainObject(sent.body) ? sent.body : {};
  // CreateMeetingObject.roomId: "When roomId is specified, the parameter hostEmail will be ignored."
  const access = accessOf(principal, body.roomId === undefined ? body.hostEmail : undefined);
  const host = access.ok ? access.viewer : principal.email;
  // Counted before anything can fail: "the failed requests are also counted toward the limits".
  // 429, not 403: the limit is a count "in 24 hours", what 429 describes ("Too many requests have
  // been sent in a given amount of time", paths./meetings.post.responses.429), and it passes; its
  // Retry-After says when a create is counted again.
  const allowed = quota.take(principal, host);
  if (!allowed.ok) return sendError(res, 429, [allowed.message], now, { 'Retry-After': String(allowed.retryAfter) });
  // paths./meetings.post.requestBody.content has only application/json.
  if (sent.type !== 'application/json')
    return sendError(res, 415, [`Unsupported content type '${sent.type || '(none)'}' for POST: the request body must be application/json.`], now);
  if (sent.bodyError !== undefined) return sendError(res, 400, [sent.bodyError], now);
  if (!isPlainObject(sent.body)) return sendError(res, 400, ['The request body must be a JSON object.'], now);
  if (!access.ok) return sendError(res, access.status, [access.message], now);
  const outcome = prepareCreate(ctx.store, { body, host, client: principal.clientId, nowMs: now });
  if (!outcome.ok) return sendError(res, outcome.status, outcome.messages, now);
  const series = outcome.commit();
  // CreateMeetingObject.sendEmail: "default value is true".
  entry.sendEmail = body.sendEmail !== false;
  if (ctx.config.createThenCut > 0) {
    ctx.config.createThenCut -= 1;
    entry.fault = 'createThenCut';
    return void req.socket.destroy();
  }
  // paths./meetings.post.responses.200: a MeetingSeriesObject, as GET shows it, in the zone it is scheduled in (scheduledZone).
  sendJson(res, 200, ctx.store.view({ kind: 'series', series }, { zone: timezoneOf(series), client: principal.clientId }), now);
}

export function handleDelete(ctx: ServerContext, res: ServerResponse, entry: RequestLogEntry, principal: Principal, query: URLSearchParams, id: string, now: number): void {
  const access = accessOf(principal, query.get('hostEmail') ?? undefined);
  if (!access.ok) return sendError(res, access.status, [access.message], now);
  // paths./meetings/{meetingId}.delete.parameters.sendEmail: schema default true.
  const sendEmailText = query.get('sendEmail');
  if (sendEmailText !== null && sendEmailText !== 'true' && sendEmailText !== 'false') return sendError(res, 400, [`'sendEmail' must be true or false.`], now);
  const found = ctx.store.find(id);
  if (found === undefined) return sendError(res, 404, [`Meeting ${id} was not found.`], now);
  // "the API will delete a meeting that is hosted by that user": only the host, or an admin naming the host.
  if (!hosts(found.series, access.viewer))
    return sendError(res, 403, [`You are not allowed to delete meeting ${id}: only its host can, or an administrator naming the host in hostEmail.`], now);
  const refusal = notDeletable(ctx, found);
  if (refusal !== undefined) return sendError(res, 400, [refusal], now);
  ctx.store.delete(found);
  entry.sendEmail = sendEmailText !== 'false';
  sendJson(res, 204, undefined, now);
}

/**
 * paths./meetings/{meetingId}.delete: it "applies to meeting series and scheduled meetings. It
 * doesn't apply to ended or in-progress meeting instances. Ad-hoc meetings … cannot be deleted." As
 * with updates, a meeting in the lobby is in progress, and a series one of whose meetings is running
 * can be deleted; only that instance is refused.
 */
function notDeletable(ctx: ServerContext, found: Found): string | undefined {
  if (found.series.adhoc && found.series.roomId !== undefined) return 'An ad-hoc meeting cannot be deleted.';
  if (found.kind === 'series') return undefined;
  const state = ctx.store.occurrenceState(found.occurrence);
  if (state === 'inProgress') return 'A meeting that is in progress cannot be deleted.';
  // MeetingSeriesObject.state lobby: "a locked meeting has been joined by participants, but no hosts have joined".
  if (state === 'lobby') return 'A meeting in the lobby (participants have joined, no host yet) is under way and cannot be deleted.';
  if (state === 'ended') return 'A meeting that has ended cannot be deleted.';
  return undefined;
}
