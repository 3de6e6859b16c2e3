/**
 * Ownership: a series meetctl creates carries the integration tag `meetctl:<key>`, the key of the
 * file that declares it (as octoDNS's ownership records and external-dns's TXT registry do), so a
 * keyed file finds its meeting without a state file. Webex shows an integration tag only to the
 * integration that set it (paths./meetings.get.parameters.integrationTag): one integration's
 * token per repository.
 */

export const OWNERSHIP_PREFIX = 'meetctl:';

/** A file's key: lowercase letters, digits, `.`, `_`, `-`; 55 at most, so that the tag stays within Webex's 64 characters. */
export const KEY_PATTERN = /^[a-z0-9._-]{1,55}$/;

/** Webex keeps at most 3 integration tags on a meeting; one of a keyed meeting's is its ownership tag. */
export const MAX_OWN_TAGS = 2;

/** The placeholder id of a series the plan creates (the server gives the real one). */
export const NEW_ID_PREFIX = 'new:';

export function ownershipTag(key: string): string {
  return `${OWNERSHIP_PREFIX}${key}`;
}

/** The key a meeting's integration tags say owns it, if one does (the first, when a rename left two). */
export function ownedKeyOf(tags: unknown): string | undefined {
  return ownedKeysOf(tags)[0];
}

/**
 * Every key a meeting's tags say own it. One, normally; two after a key was renamed by a meetctl
 * that added the new tag beside the old one, so each key is looked at.
 */
export function ownedKeysOf(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.filter((t): t is string => isOwnershipTag(t)).map((t) => t.slice(OWNERSHIP_PREFIX.length)).filter((k) => KEY_PATTERN.test(k));
}

/** Is this integration tag an ownership tag (reserved: a file may not declare one)? */
export function isOwnershipTag(tag: unknown): boolean {
  return typeof tag === 'string' && tag.startsWith(OWNERSHIP_PREFIX);
}

export function newSeriesId(key: string): string {
  return `${NEW_ID_PREFIX}${key}`;
}
