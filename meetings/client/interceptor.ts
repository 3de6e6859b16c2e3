/**
 * `gate.ready()` is awaited before each attempt, but undici may hold a request in the pool and
 * write it later: on a keep-alive connection the next queued request is written the moment the
 * previous response ends, before our code has read that response. So the gate is also enforced
 * inside the dispatch: a 429 pauses it as soon as its headers are parsed, and a request that
 * reaches its socket while a pause is in force is not written (it is sent again after the pause).
 * A 423 does not: it locks one resource, and only its own request waits (retry.ts).
 */
import type { Dispatcher } from 'undici';
import type { RateGate } from '../../core/gate.js';

/** Thrown into a request that reached its socket while a pause was in force; it is sent again after. */
export class GatePausedError extends Error {
  readonly code = 'MEETCTL_GATE_PAUSED';
}

/**
 * Set on a request's dispatch options: called when undici starts writing that request to its
 * socket. A failure before it means nothing reached the server; after it, the server may have
 * carried the request out, which decides whether a request that is not idempotent may be resent.
 */
export const ON_WRITE = Symbol('meetctl.onWrite');
export type WriteTracked = { [ON_WRITE]?: () => void };

export function gateAtWrite(gate: RateGate, onRefused: (headers: Record<string, unknown>, method: string) => void): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch(opts, new GateCheckHandler(handler, gate, (headers) => onRefused(headers, opts.method), (opts as WriteTracked)[ON_WRITE]));
}

type Handler = Dispatcher.DispatchHandler;

class GateCheckHandler implements Handler {
  constructor(
    private readonly inner: Handler,
    private readonly gate: RateGate,
    private readonly onRefused: (headers: Record<string, unknown>) => void,
    private readonly onWrite: (() => void) | undefined,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    if (this.gate.pausedUntil > Date.now()) {
      controller.abort(new GatePausedError('paused by Retry-After'));
      return;
    }
    // undici calls this just before it writes the request (client-h1 writeH1).
    this.onWrite?.();
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Handler['onRequestUpgrade']>>[2], socket: Parameters<NonNullable<Handler['onRequestUpgrade']>>[3]): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Handler['onResponseStart']>>[2], statusMessage?: string): void {
    if (statusCode === 429) this.onRefused(headers);
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Parameters<NonNullable<Handler['onResponseEnd']>>[1]): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.inner.onResponseError?.(controller, error);
  }
}
