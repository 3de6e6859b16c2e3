/**
 * A client whose every call also stops when `signal` aborts: reads started before the files were
 * validated (plan) end at once, queued or in flight, when the files turn out invalid.
 */
import type { WebexClient } from './types.js';

export function withSignal(client: WebexClient, signal: AbortSignal): WebexClient {
  const also = <O extends { signal?: AbortSignal }>(opts: O | undefined): O =>
    ({ ...opts, signal: opts?.signal ? AbortSignal.any([opts.signal, signal]) : signal }) as O;
  return {
    getMeeting: (id, opts) => client.getMeeting(id, also(opts)),
    listMeetings: (query, opts) => client.listMeetings(query, also(opts)),
    listMeetingsPages: (query, opts) => client.listMeetingsPages(query, also(opts)),
    patchMeeting: (id, body, opts) => client.patchMeeting(id, body, also(opts)),
    createMeeting: (body, opts) => client.createMeeting(body, also(opts)),
    deleteMeeting: (id, opts) => client.deleteMeeting(id, also(opts)),
    findByIntegrationTag: (tag, opts) => client.findByIntegrationTag(tag, also(opts)),
    listTrackingCodes: (opts) => client.listTrackingCodes(also(opts)),
    serverNow: () => client.serverNow(),
    stats: () => client.stats(),
    get limit() {
      return client.limit;
    },
    get gate() {
      return client.gate;
    },
    installFuse: (judge, onTrip) => client.installFuse(judge, onTrip),
    close: () => client.close(),
  };
}
