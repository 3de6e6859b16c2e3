/**
 * The Webex Meetings provider: meetings/ behind core's Provider interface. Commands reach the
 * Webex specifics (files, reads, planning, sending) through this one value.
 */
import type { Provider } from '../core/provider.js';
import { createWebexApplier } from './apply.js';
import type { WebexClient } from './client.js';
import { keyOfMeeting, loadDesiredState, type DesiredMeeting } from './desired.js';
import { planAgainstLive, type FetchStrategy } from './fetch.js';
import type { PlanReadOptions } from '../core/provider.js';

/** What a Webex plan records for apply: whether invitees are emailed about each change. */
export interface WebexControls {
  sendEmail: boolean;
}

export interface WebexReadOptions extends PlanReadOptions {
  strategy?: FetchStrategy;
  prune?: boolean;
}

export const webexProvider: Provider<DesiredMeeting, WebexClient, WebexControls, WebexReadOptions> = {
  words: { object: 'meeting', objects: 'meetings', massChangeWhy: 'a wrong defaults.yaml can rewrite a whole calendar' },
  async load(dir) {
    const loaded = await loadDesiredState(dir);
    return { documents: loaded.meetings, diagnostics: loaded.diagnostics, fileCount: loaded.fileCount };
  },
  keyOf: keyOfMeeting,
  plan: (client, desired, o) => planAgainstLive({ client, desired, env: o.env, concurrency: o.concurrency, strategy: o.strategy, onProgress: o.onProgress }),
  sender: (client, controls, env) => createWebexApplier({ client, env, sendEmail: controls.sendEmail }),
};
