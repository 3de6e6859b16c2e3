/**
 * Provider controls: choices sent with a change that are not part of the meeting's state. Webex
 * has one, `sendEmail`; a plan records it so that apply does what the reviewer saw.
 */
import type { Plan } from '../core/plan.js';

/**
 * The saved plan records whether invitees are emailed; it was reviewed with that choice, so apply
 * follows it. Saying otherwise at apply time is a contradiction, refused before any request.
 */
export function checkEmailChoice(plan: Plan, choice: boolean | undefined): string | undefined {
  if (choice === undefined || choice === plan.sendEmail) return undefined;
  if (plan.sendEmail) {
    return 'the plan was made with --send-email (invitees are emailed about each change) but apply was given --no-send-email: apply follows the reviewed plan; run meetctl plan again without --send-email (nothing was applied)';
  }
  return 'the plan was made without --send-email (nobody is emailed) but apply was given --send-email: apply follows the reviewed plan; run meetctl plan again with --send-email to email invitees (nothing was applied)';
}

