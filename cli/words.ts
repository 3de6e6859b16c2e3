/**
 * The Webex words of some actions, which the renderers of core/ take as data: removing one
 * scheduled meeting of a series is a cancel in Webex (DELETE /meetings/{scheduledMeetingId}).
 */
import type { KindWords } from '../core/render/actions.js';

export const KIND_WORDS: KindWords = {
  scheduledMeeting: { delete: { verb: 'cancel', done: 'cancelled' } },
};
