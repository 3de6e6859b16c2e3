/**
 * The create quota of POST /meetings: "Regular users can schedule up to 100 meetings in 24 hours and
 * admin users up to 3000 overall or 800 for a single user. Please note that the failed requests are
 * also counted toward the limits" (paths./meetings.post.description). Off unless configured; the
 * 24 hours run on the emulator's clock, so a test can let them pass.
 */
import { isPlainObject } from './merge.js';

export interface CreateQuotaLimits {
  /** Creates a regular user may attempt in 24 hours. */
  user: number;
  /** Creates an admin may attempt in 24 hours, whoever they schedule for. */
  admin: number;
  /** Creates an admin may attempt in 24 hours for one user (hostEmail, or the admin themself). */
  adminPerUser: number;
}

/** true: the documented numbers; an object: those numbers with some replaced; false or null: off. */
export type CreateQuotaSetting = boolean | null | Partial<CreateQuotaLimits>;

export const DOCUMENTED_QUOTA: Readonly<CreateQuotaLimits> = { user: 100, admin: 3000, adminPerUser: 800 };
export const QUOTA_WINDOW_MS = 24 * 3600_000;

export function parseQuota(setting: CreateQuotaSetting | undefined): CreateQuotaLimits | null {
  if (setting === undefined || setting === null || setting === false) return null;
  if (setting === true) return { ...DOCUMENTED_QUOTA };
  if (!isPlainObject(setting)) throw new Error('createQuota must be true, false, null or { user, admin, adminPerUser }');
  const limits = { ...DOCUMENTED_QUOTA };
  for (const [key, value] of Object.entries(setting)) {
    if (!(key in DOCUMENTED_QUOTA)) throw new Error(`createQuota: unknown limit '${key}' (user, admin, adminPerUser)`);
    if (!(Number.isInteger(value) && (value as number) >= 0)) throw new Error(`createQuota.${key} must be a whole number >= 0; got ${String(value)}`);
    limits[key as keyof CreateQuotaLimits] = value as number;
  }
  return limits;
}

export type QuotaDecision = { ok: true } | { ok: false; retryAfter: number; message: string };

export class CreateQuota {
  /** Attempt instants (emulator clock) per counter key. */
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limits: () => CreateQuotaLimits | null,
    private readonly now: () => number,
  ) {}

  /**
   * Count one create by `caller` for `host`, or refuse it. Every create that gets this far counts,
   * whatever its outcome (the quoted "failed requests are also counted"), except the ones refused
   * here: counting those would keep a client that waits for Retry-After locked out for good.
   */
  take(caller: { admin: boolean; email: string }, host: string): QuotaDecision {
    const limits = this.limits();
    if (limits === null) return { ok: true };
    const now = this.now();
    const counters: [string, number, string][] = caller.admin
      ? [
          [`admin:${caller.email}`, limits.admin, `an administrator can schedule up to ${limits.admin} meetings overall in 24 hours`],
          [`admin:${caller.email}:${host}`, limits.adminPerUser, `an administrator can schedule up to ${limits.adminPerUser} meetings for a single user in 24 hours`],
        ]
      : [[`user:${caller.email}`, limits.user, `a user can schedule up to ${limits.user} meetings in 24 hours`]];
    for (const [key, limit, rule] of counters) {
      const times = this.recent(key, now);
      if (times.length >= limit) {
        // A slot frees when enough of the counted attempts have left the window.
        const freed = [...times].sort((a, b) => a - b)[times.length - limit] ?? now;
        const retryAfter = Math.max(1, Math.ceil((freed + QUOTA_WINDOW_MS - now) / 1000));
        return { ok: false, retryAfter, message: `The create quota is used up: ${rule}, failed requests included.` };
      }
    }
    for (const [key] of counters) this.recent(key, now).push(now);
    return { ok: true };
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.attempts.get(key) ?? []).filter((t) => t > now - QUOTA_WINDOW_MS);
    this.attempts.set(key, kept);
    return kept;
  }
}
