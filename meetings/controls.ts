/**
 * Provider controls: choices sent with a change that are not part of the meeting's state. Webex
 * has one, `sendEmail`; a plan records it (`Plan.controls`) so that apply does what the reviewer
 * saw, and the closing sentence of a plan or a report says what it means for the invitees.
 */
import type { JsonObject } from '../core/plan.js';
import type { ControlsTense } from '../core/render/words.js';

/** What a Webex plan records for apply: whether invitees are emailed about each change. */
export type WebexControls = { sendEmail: boolean };

/** The controls of a plan made now: nobody is emailed unless --send-email asked for it. */
export function planControls(sendEmail: boolean | undefined): WebexControls {
  return { sendEmail: sendEmail === true };
}

/** The controls of a saved plan, checked: core only knows they are an object. */
export function readControls(controls: JsonObject): { ok: true; controls: WebexControls } | { ok: false; message: string } {
  if (typeof controls.sendEmail !== 'boolean') return { ok: false, message: 'controls.sendEmail must be true or false' };
  return { ok: true, controls: { sendEmail: controls.sendEmail } };
}

/**
 * The saved plan records whether invitees are emailed; it was reviewed with that choice, so apply
 * follows it. Saying otherwise at apply time is a contradiction, refused before any request.
 */
export function checkEmailChoice(controls: WebexControls, choice: boolean | undefined): string | undefined {
  if (choice === undefined || choice === controls.sendEmail) return undefined;
  if (controls.sendEmail) {
    return 'the plan was made with --send-email (invitees are emailed about each change) but apply was given --no-send-email: apply follows the reviewed plan; run meetctl plan again without --send-email (nothing was applied)';
  }
  return 'the plan was made without --send-email (nobody is emailed) but apply was given --send-email: apply follows the reviewed plan; run meetctl plan again with --send-email to email invitees (nothing was applied)';
}

const SENTENCES: Readonly<Record<ControlsTense, Readonly<Record<'emailed' | 'quiet', string>>>> = {
  plan: {
    emailed: 'Invitees will be emailed about each change (--send-email).',
    quiet: 'Invitees will not be emailed (pass --send-email to apply to notify them).',
  },
  report: {
    emailed: 'Invitees were emailed about each change.',
    quiet: 'Invitees were not emailed.',
  },
};

/** The sentence that closes a plan or an apply report that sends something. */
export function controlsSentence(controls: JsonObject, tense: ControlsTense): string {
  return SENTENCES[tense][controls.sendEmail === true ? 'emailed' : 'quiet'];
}
