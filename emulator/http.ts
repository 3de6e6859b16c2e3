/** Response helpers: Webex error bodies, trackingId and Date headers on every response. */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { httpDate } from './time.js';

export function trackingId(): string {
  return `EMULATOR_${randomUUID()}`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, nowMs: number, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const id = headers.trackingId ?? trackingId();
  res.writeHead(status, {
    ...(text === '' ? {} : { 'Content-Type': 'application/json;charset=UTF-8' }),
    'Content-Length': Buffer.byteLength(text),
    Date: httpDate(nowMs),
    ...headers,
    trackingId: id,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, messages: string[], nowMs: number, headers: Record<string, string> = {}): void {
  const id = trackingId();
  sendJson(res, status, { message: messages[0] ?? 'Error', errors: messages.map((description) => ({ description })), trackingId: id }, nowMs, {
    ...headers,
    trackingId: id,
  });
}
