/**
 * Site tracking codes (GET /meetings/trackingCodes, MeetingTrackingCodesObject) and the defaults a
 * write gets from them (PatchMeetingObject.trackingCodes: "If an optional tracking code is missing from
 * the trackingCodes array and there's a default option for this tracking code, the default option is
 * assigned automatically").
 */
import { SITE_URL } from './generated.js';
import { isPlainObject } from './merge.js';

export const INPUT_MODES = ['text', 'select', 'editableSelect', 'hostProfileSelect'] as const;
export const CODE_TYPES = ['optional', 'required', 'adminSet', 'notUsed', 'notApplicable'] as const;
export const SERVICES = ['All', 'MeetingCenter', 'EventCenter', 'TrainingCenter', 'SupportCenter'] as const;

export interface TrackingCodeOption {
  value: string;
  defaultValue: boolean;
}

export interface SiteTrackingCode {
  id: string;
  name: string;
  inputMode: (typeof INPUT_MODES)[number];
  type: (typeof CODE_TYPES)[number];
  service: (typeof SERVICES)[number];
  options: TrackingCodeOption[];
}

/** A user's own value of a site code (Webex's user-level tracking codes), by the user's email. */
export interface UserTrackingCode {
  email: string;
  name: string;
  value: string;
}

/** The codes as one host has them. */
export interface TrackingCodes {
  site: SiteTrackingCode[];
  user: UserTrackingCode[];
}

/** A seed's user-level codes (seed `userTrackingCodes`); none by default. */
export function userCodesFromSeed(entries: unknown, site: readonly SiteTrackingCode[]): UserTrackingCode[] {
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) throw new Error('seed userTrackingCodes must be a list');
  return entries.map((entry, i): UserTrackingCode => {
    const where = `seed user tracking code ${i + 1}`;
    if (!isPlainObject(entry) || typeof entry.email !== 'string' || typeof entry.name !== 'string' || typeof entry.value !== 'string')
      throw new Error(`${where}: needs email, name and value`);
    if (!site.some((c) => c.name.toLowerCase() === String(entry.name).toLowerCase())) throw new Error(`${where}: no site tracking code is named ${String(entry.name)}`);
    return { email: entry.email.toLowerCase(), name: entry.name, value: entry.value };
  });
}

/**
 * The site codes as `email` sees them (paths./meetings/trackingCodes.get.description): "If there is a
 * user-level tracking code, it is merged into the options. Meanwhile, the defaultValue of this
 * user-level option is true and the site-level default option becomes non default."
 */
export function codesOfUser(codes: TrackingCodes, email: string): SiteTrackingCode[] {
  const mine = codes.user.filter((u) => u.email === email.toLowerCase());
  if (mine.length === 0) return codes.site;
  return codes.site.map((code) => {
    const own = mine.find((u) => u.name.toLowerCase() === code.name.toLowerCase());
    if (own === undefined) return code;
    const options = code.options.map((o) => ({ value: o.value, defaultValue: o.value === own.value }));
    if (!options.some((o) => o.defaultValue)) options.push({ value: own.value, defaultValue: true });
    return { ...code, options };
  });
}

/** A seed's site-wide codes; anything missing gets the plainest value (text input, optional, MeetingCenter). */
export function siteCodesFromSeed(entries: unknown): SiteTrackingCode[] {
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) throw new Error('seed trackingCodes must be a list');
  return entries.map((entry, i): SiteTrackingCode => {
    const where = `seed tracking code ${i + 1}`;
    if (!isPlainObject(entry) || typeof entry.name !== 'string' || entry.name === '') throw new Error(`${where}: needs a name`);
    const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
      const v = entry[key] ?? fallback;
      if (!allowed.includes(v as T)) throw new Error(`${where}: ${key} must be one of ${allowed.join(', ')}`);
      return v as T;
    };
    const options = entry.options ?? [];
    if (!Array.isArray(options) || !options.every((o) => isPlainObject(o) && typeof o.value === 'string'))
      throw new Error(`${where}: options must be a list of { value, defaultValue }`);
    return {
      id: String(i + 1),
      name: entry.name,
      inputMode: pick('inputMode', INPUT_MODES, 'text'),
      type: pick('type', CODE_TYPES, 'optional'),
      service: pick('service', SERVICES, 'MeetingCenter'),
      options: options.map((o) => ({ value: String(o.value), defaultValue: o.defaultValue === true })),
    };
  });
}

/** The items of GET /meetings/trackingCodes for a service (codes of that service and of All). */
export function trackingCodeItems(codes: readonly SiteTrackingCode[], service: string): Record<string, unknown>[] {
  return codes
    .filter((c) => c.service === service || c.service === 'All')
    .map((c) => ({ id: c.id, name: c.name, siteUrl: SITE_URL, options: c.options.map((o) => ({ ...o })), inputMode: c.inputMode, service: c.service, type: c.type }));
}

/**
 * "If the inputMode of a tracking code is select, its value must be one of the site-level options
 * or the user-level value" (PatchMeetingObject.trackingCodes): `codes` as the host sees them (codesOfUser).
 */
export function checkSelectCodes(sent: readonly unknown[], codes: readonly SiteTrackingCode[]): string[] {
  const errors: string[] = [];
  for (const item of sent) {
    if (!isPlainObject(item) || typeof item.name !== 'string') continue;
    const name = item.name.toLowerCase();
    const code = codes.find((c) => c.name.toLowerCase() === name);
    if (code?.inputMode === 'select' && !code.options.some((o) => o.value === item.value))
      errors.push(`Tracking code '${code.name}' is a select: its value must be one of ${code.options.map((o) => `'${o.value}'`).join(', ')}.`);
  }
  return errors;
}

/** The codes a write sent, plus the default of every optional site code it left out. */
export function withDefaultCodes(sent: readonly unknown[], codes: readonly SiteTrackingCode[]): unknown[] {
  const named = new Set(sent.map((c) => (isPlainObject(c) && typeof c.name === 'string' ? c.name.toLowerCase() : '')));
  const added: { name: string; value: string }[] = [];
  for (const code of codes) {
    if (code.type !== 'optional' || named.has(code.name.toLowerCase())) continue;
    const option = code.options.find((o) => o.defaultValue);
    if (option !== undefined) added.push({ name: code.name, value: option.value });
  }
  return [...sent, ...added];
}
