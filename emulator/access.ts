/** Who is calling (a token's user, admin or not, and its client) and whom the call acts as. */
import type { SeriesRecord } from './model.js';

export interface Principal {
  label: string;
  admin: boolean;
  /** The user the token belongs to, lower-cased: every token has one, an admin's too. */
  email: string;
  /** The client (integration) the token was issued to: integration tags are kept per client. */
  clientId: string;
}

/** `viewer`: whose meetings the request sees; `onBehalf`: an admin named that user in hostEmail. */
export type Access = { ok: true; viewer: string; onBehalf: boolean } | { ok: false; status: number; message: string };

/**
 * Whom the caller acts as. hostEmail "is only used if the user or application calling the API has
 * the admin-level scopes" (paths./meetings.get.parameters.hostEmail, paths./meetings/{meetingId}.get
 * .parameters.hostEmail, PatchMeetingObject.hostEmail, CreateMeetingObject.hostEmail,
 * paths./meetings/{meetingId}.delete.parameters.hostEmail): an admin naming a user acts as that user;
 * anyone else, or an admin naming nobody, acts as themself, whatever they name.
 */
export function accessOf(principal: Principal, requested: unknown): Access {
  if (requested !== undefined && typeof requested !== 'string') return { ok: false, status: 400, message: `'hostEmail' must be a string.` };
  if (principal.admin && requested !== undefined && requested !== '') return { ok: true, viewer: requested.toLowerCase(), onBehalf: true };
  return { ok: true, viewer: principal.email, onBehalf: false };
}

export function hosts(series: SeriesRecord, email: string): boolean {
  return series.hostEmail.toLowerCase() === email;
}

export function invited(series: SeriesRecord, email: string): boolean {
  return series.invitees.includes(email);
}
