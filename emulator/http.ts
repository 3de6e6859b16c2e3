/** Response helpers: Webex error bodies, trackingId and Date headers on every response. */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { httpDate } from './time.js';

export function trackingId(): string {
  return `EMULATOR_${randomUUID()}`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, nowMs: number, headers: Record<string, string> = {}): void {
  sendJsonBytes(res, status, body === undefined ? EMPTY : Buffer.from(JSON.stringify(body)), nowMs, headers);
}

const EMPTY = Buffer.alloc(0);
const ITEMS_OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');
const ITEMS_CLOSE = Buffer.from(']}');

/** `{"items":[…]}` from items already serialized: the same bytes as JSON.stringify of the whole. */
export function itemsBody(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [ITEMS_OPEN];
  items.forEach((item, i) => parts.push(...(i === 0 ? [item] : [COMMA, item])));
  parts.push(ITEMS_CLOSE);
  return Buffer.concat(parts);
}

/** `bytes`: a body already serialized (views are kept that way); none sends no body. */
export function sendJsonBytes(res: ServerResponse, status: number, bytes: Buffer, nowMs: number, headers: Record<string, string> = {}): void {
  const id = headers.trackingId ?? trackingId();
  res.writeHead(status, {
    ...(bytes.length === 0 ? {} : { 'Content-Type': 'application/json;charset=UTF-8' }),
    // RFC 9110 §8.6: "A server MUST NOT send a Content-Length header field in any response with a status code of … 204 (No Content)".
    ...(status === 204 ? {} : { 'Content-Length': bytes.length }),
    Date: httpDate(nowMs),
    ...headers,
    trackingId: id,
  });
  res.end(bytes);
}

/**
 * The `message` of an error body says only what kind of error it is; the reason is in
 * `errors[].description` (the example at paths./meetings.post.responses.400). 400 uses that example's
 * message; the others are the response descriptions of the meeting operations (paths./meetings.get.responses).
 */
export const GENERIC_MESSAGES: Readonly<Record<number, string>> = {
  400: 'The input parameters contain invalid items.',
  401: 'Authentication credentials were missing or incorrect.',
  403: 'The request is understood, but it has been refused or access is not allowed.',
  404: 'The URI requested is invalid or the resource requested, such as a user, does not exist.',
  405: 'The request was made to a resource using an HTTP request method that is not supported.',
  409: 'The request could not be processed because it conflicts with some established rule of the system.',
  410: 'The requested resource is no longer available.',
  415: 'The request was made to a resource without specifying a media type or used a media type that is not supported.',
  423: 'The requested resource is temporarily unavailable.',
  429: 'Too many requests have been sent in a given amount of time and the request has been rate limited.',
  500: 'Something went wrong on the server.',
  502: 'The server received an invalid response from an upstream server while processing the request.',
  503: 'Server is overloaded with requests. Try again later.',
  504: 'An upstream server failed to respond on time.',
};

/** `descriptions`: the specific reasons, one `errors[]` entry each. */
export function sendError(res: ServerResponse, status: number, descriptions: string[], nowMs: number, headers: Record<string, string> = {}): void {
  const id = trackingId();
  const message = GENERIC_MESSAGES[status] ?? 'The request could not be processed.';
  sendJson(res, status, { message, errors: descriptions.map((description) => ({ description })), trackingId: id }, nowMs, {
    ...headers,
    trackingId: id,
  });
}
