/**
 * The staleness check of a saved plan, right before a change is sent: the live state must still be
 * the one the plan was made from. A create is skipped once its key exists; a delete once the
 * meeting changed; an update once the meeting changed, unless it already carries the new values.
 */
import type { FreshResult, SendContext } from '../../core/executor.js';
import type { Change } from '../../core/plan.js';
import { MEETING_FIELDS, OCCURRENCE_FIELDS } from '../catalogue.js';
import type { Meeting, Result } from '../client.js';
import { errorLine } from '../client/errors.js';
import { meetingFingerprint } from '../field-diff.js';
import { NEW_ID_PREFIX } from '../ownership.js';
import { hostOf, type WebexApplierOptions } from './body.js';
import { findOwned, keyOfCreate } from './create.js';
import { alreadyCarries } from './verify.js';

export async function checkFresh(change: Change, stop: AbortSignal, context: SendContext, opts: WebexApplierOptions): Promise<FreshResult> {
  if (change.action === 'create') return createIsFresh(change, stop, opts);
  // Its series was created a moment ago by this apply: nobody else can have changed it.
  if (change.id.startsWith(NEW_ID_PREFIX) && context.dependency !== undefined) return { fresh: true };
  // Scheduled meetings that their own series' change in this plan moves carry no fingerprint: our
  // change, not someone else's, is what they will show. A re-run still finds an update done.
  if (!change.fingerprint && change.action !== 'update') return { fresh: true };
  const live = await read(change, stop, opts);
  if (!change.fingerprint) return live.ok && alreadyCarries(change, live.value, opts.env, opts.client.serverNow() ?? Date.now()) ? { alreadyApplied: true } : { fresh: true };
  if (change.action === 'delete') {
    if (!live.ok) return live.error.status === 404 ? { alreadyApplied: true } : { error: `could not re-read the meeting: ${errorLine(live.error)}` };
    return sameAsPlanned(change, live.value) ? { fresh: true } : { fresh: false, message: 'the meeting changed since the plan was made; not deleted' };
  }
  if (!live.ok) {
    if (live.error.status === 404) return { fresh: false, message: 'the meeting no longer exists (404)' };
    return { error: `could not re-read the meeting: ${errorLine(live.error)}` };
  }
  if (sameAsPlanned(change, live.value)) return { fresh: true };
  if (alreadyCarries(change, live.value, opts.env, opts.client.serverNow() ?? Date.now())) return { alreadyApplied: true };
  return { fresh: false, message: 'the meeting changed since the plan was made; run meetctl plan again' };
}

async function createIsFresh(change: Change, stop: AbortSignal, opts: WebexApplierOptions): Promise<FreshResult> {
  const found = await findOwned(change, opts, stop);
  if (!found.ok) return { error: `could not look the key up by its ownership tag: ${errorLine(found.error)}` };
  if (found.value.length === 0) return { fresh: true };
  const ids = found.value.map((m) => m.id).join(', ');
  return { fresh: false, message: `the key ${keyOfCreate(change)} exists by now (${ids}): not created again; run meetctl plan again` };
}

function read(change: Change, stop: AbortSignal, opts: WebexApplierOptions): Promise<Result<Meeting>> {
  return opts.client.getMeeting(change.id, { hostEmail: hostOf(change), stop });
}

function sameAsPlanned(change: Change, live: Meeting): boolean {
  const specs = change.kind === 'scheduledMeeting' ? OCCURRENCE_FIELDS : MEETING_FIELDS;
  return meetingFingerprint(live, specs) === change.fingerprint;
}
