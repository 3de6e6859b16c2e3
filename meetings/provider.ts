/**
 * The Webex Meetings provider: meetings/ behind core's Provider interface. Commands reach the
 * Webex specifics (files, reads, planning, sending) through this one value.
 */
import type { Provider } from '../core/provider.js';
import { createWebexApplier } from './send/index.js';
import type { WebexClient } from './client.js';
import { withSignal } from './client/with-signal.js';
import { keyOfMeeting, loadDesiredState, type DesiredMeeting } from './desired.js';
import { planAgainstLive, type FetchStrategy } from './fetch.js';
import type { PlanReadOptions } from '../core/provider.js';
import { controlsSentence, readControls, type WebexControls } from './controls.js';

export type { WebexControls } from './controls.js';

export interface WebexReadOptions extends PlanReadOptions {
  strategy?: FetchStrategy;
  /** Delete owned meetings no file declares (plan --prune). */
  prune?: boolean;
  /** Look for orphans whatever the files (drift). */
  findOrphans?: boolean;
  /** Every file of the tree, when the documents planned are narrowed (--target, --shard): their keys are not orphans. */
  allDesired?: readonly DesiredMeeting[];
}

export const webexProvider: Provider<DesiredMeeting, WebexClient, WebexControls, WebexReadOptions> = {
  words: {
    object: 'meeting',
    objects: 'meetings',
    massChangeWhy: 'a wrong defaults.yaml can rewrite a whole calendar',
    // Removing one scheduled meeting of a series is a cancel in Webex (DELETE /meetings/{scheduledMeetingId}).
    kinds: { scheduledMeeting: { delete: { verb: 'cancel', done: 'cancelled' } } },
    controlsSentence,
    // drift --report-unmanaged lists series (meetings/unmanaged.ts), labelled by their title.
    unmanaged: { noun: { one: 'series', many: 'series' }, label: 'title', facts: [{ field: 'start', word: 'starts' }, { field: 'hostEmail', word: 'host' }, { field: 'key', word: 'owned by meetctl, key' }] },
  },
  // Webex's own cuts of a rule (the first BYDAY or BYMONTHDAY, five years ahead) are warnings on every change of the series.
  repeatedInPlan: new Set(['rule.recurrenceFirstOnly', 'rule.recurrenceUntil', 'rule.recurrenceCount']),
  async load(dir, hooks) {
    const loaded = await loadDesiredState(dir, hooks);
    return { documents: loaded.meetings, diagnostics: loaded.diagnostics, fileCount: loaded.fileCount };
  },
  keyOf: keyOfMeeting,
  readControls,
  plan: (client, desired, o) =>
    planAgainstLive({ client: o.signal ? withSignal(client, o.signal) : client, desired, env: o.env, concurrency: o.concurrency, strategy: o.strategy, onProgress: o.onProgress, prune: o.prune, findOrphans: o.findOrphans, allDesired: o.allDesired }),
  sender: (client, controls, env) => createWebexApplier({ client, env, sendEmail: controls.sendEmail }),
};
