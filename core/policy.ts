/**
 * The safety checks a plan must pass before anything is sent, as functions of the Plan (octoDNS
 * keeps them on its Plan): every command and every future caller gets the same answers. Each
 * refusal is a value with a code and a sentence; the caller decides how to print it. The words
 * for what a change touches (the provider's `words.objects`) come from the caller: nothing here knows the provider.
 */
import { PLAN_FORMAT_VERSION, sentCount, type Plan } from './plan.js';

export interface Refusal {
  code: 'policy.maxChanges' | 'policy.massChange' | 'policy.deletes' | 'policy.maxDeletes' | 'policy.formatVersion' | 'policy.otherTarget' | 'policy.planAge' | 'policy.planFromFuture' | 'policy.badCreatedAt';
  message: string;
}

/** How every refusal of the guards ends: said when apply refuses, left out when a plan warns of it. */
const NOTHING_APPLIED = ' (nothing was applied)';

/** Refuse a plan that touches this share of the managed objects (at least MASS_CHANGE_MIN of them) unless forced. */
export const MASS_CHANGE_SHARE = 0.3;
export const MASS_CHANGE_MIN = 10;

/** How far ahead of the server's clock a plan's time may be (the server's clock moved on between reads). */
export const FUTURE_TOLERANCE_MS = 2 * 60_000;

export interface ChangeLimits {
  maxChanges?: number;
  force?: boolean;
  /** What the changes touch, plural (the provider's `words.objects`). */
  noun: string;
  /** Why a mass change needs forcing, in the provider's words. */
  massChangeWhy: string;
}

/**
 * The share guard's two counts, by document (a change's `key`; a change without one, as in a plan
 * saved before keys, is its own): the documents whose objects already exist, and those of them
 * the plan updates or cancels a scheduled meeting of. By document, so that neither a file's other objects (unchanged overrides) nor
 * new ones (creates, which touch nothing that exists) dilute the share, and a change that re-sends
 * its file's other objects counts once. A change that could not be planned (`error`) is not
 * counted as existing: it makes the guard stricter, never looser.
 */
function managedDocuments(plan: Plan): { updates: number; managed: number } {
  const existing = new Set<string>();
  const updated = new Set<string>();
  for (const c of plan.changes) {
    // A prune delete's meeting has no file (the delete guard weighs it); a create's does not exist yet.
    if (c.action === 'create' || c.action === 'error' || c.prune === true) continue;
    const doc = c.key ?? `id:${c.id}`;
    existing.add(doc);
    // A cancel (a delete of one scheduled meeting the file declares) changes the file's meeting too.
    if (c.action === 'update' || c.action === 'delete') updated.add(doc);
  }
  return { updates: updated.size, managed: existing.size };
}

/**
 * The change-count guards: an explicit ceiling on everything sent, and a share of the managed
 * objects for updates (a create adds and a delete has its own guard, checkDeletes).
 */
export function checkChangeCounts(plan: Plan, limits: ChangeLimits): Refusal | undefined {
  const sent = sentCount(plan.summary);
  if (limits.maxChanges !== undefined && sent > limits.maxChanges) {
    return { code: 'policy.maxChanges', message: `the plan has ${sent} changes, more than --max-changes ${limits.maxChanges}: nothing was applied` };
  }
  const { updates, managed } = managedDocuments(plan);
  if (!limits.force && managed >= MASS_CHANGE_MIN && updates > MASS_CHANGE_SHARE * managed) {
    const pct = Math.round((100 * updates) / managed);
    return {
      code: 'policy.massChange',
      message:
        `the plan changes ${updates} of ${managed} managed ${limits.noun} (${pct}%), more than ${MASS_CHANGE_SHARE * 100}%: ` +
        `${limits.massChangeWhy}, so this needs --force${NOTHING_APPLIED}`,
    };
  }
  return undefined;
}

/** Refuse deleting more than this share of the owned objects (when at least DELETE_GUARD_MIN are owned) unless forced, as octoDNS does. */
export const DELETE_SHARE = 0.1;
export const DELETE_GUARD_MIN = 10;

export interface DeleteLimits {
  maxDeletes?: number;
  force?: boolean;
  /** What a delete removes, plural (the provider's `words.objects`). */
  noun: string;
}

/**
 * The delete guard: deletes of owned objects no file declares (`prune`) are refused above
 * DELETE_SHARE of at least DELETE_GUARD_MIN owned objects — or, when --max-deletes is given, above
 * that count instead — unless forced. A deleted object cannot be recovered, so deletes are
 * counted apart from the other changes.
 */
export function checkDeletes(plan: Plan, limits: DeleteLimits): Refusal | undefined {
  const deletes = plan.changes.filter((c) => c.action === 'delete' && c.prune === true).length;
  if (deletes === 0 || limits.force) return undefined;
  const one = limits.noun.replace(/s$/, '');
  if (limits.maxDeletes !== undefined) {
    if (deletes <= limits.maxDeletes) return undefined;
    return {
      code: 'policy.maxDeletes',
      message: `the plan deletes ${deletes} ${deletes === 1 ? one : limits.noun}, more than --max-deletes ${limits.maxDeletes}: a deleted ${one} cannot be recovered, so this needs --force${NOTHING_APPLIED}`,
    };
  }
  const owned = Math.max(plan.owned ?? 0, deletes);
  if (owned >= DELETE_GUARD_MIN && deletes > DELETE_SHARE * owned) {
    const pct = Math.round((100 * deletes) / owned);
    return {
      code: 'policy.deletes',
      message:
        `the plan deletes ${deletes} of ${owned} owned ${limits.noun} (${pct}%), more than ${DELETE_SHARE * 100}%: ` +
        `a deleted ${one} cannot be recovered, so this needs --max-deletes ${deletes} or --force${NOTHING_APPLIED}`,
    };
  }
  return undefined;
}

/**
 * The guards this plan will meet at apply time without --force, said when it is made: a reviewer
 * of the plan (a PR comment) learns it then, not when apply refuses after the merge.
 */
export function guardNotes(plan: Plan, words: Pick<ChangeLimits, 'noun' | 'massChangeWhy'>): string[] {
  const refusals = [checkChangeCounts(plan, words), checkDeletes(plan, { noun: words.noun })];
  return refusals.filter((r) => r !== undefined).map((r) => `apply: ${r.message.replace(NOTHING_APPLIED, '')}`);
}

/** A saved plan is applied only by the meetctl that can read it, against the server it was made for. */
export function checkSavedPlanTarget(plan: Plan, baseUrl: string): Refusal | undefined {
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    return { code: 'policy.formatVersion', message: `the plan file has format version ${plan.formatVersion}; this meetctl reads ${PLAN_FORMAT_VERSION}` };
  }
  if (plan.baseUrl !== baseUrl) return { code: 'policy.otherTarget', message: `the plan was made for ${plan.baseUrl}, not ${baseUrl}: refusing to apply it here` };
  return undefined;
}

/**
 * A plan's `createdAt` is the server's time when it was made, so its age is measured by the server's
 * clock too: a CI runner whose clock is off can neither keep an old plan alive nor refuse a fresh one.
 */
/** A duration in the largest unit it is a whole number of, as --max-plan-age takes it: 24h, 90m, 3600s. */
function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

export function checkPlanAge(plan: Plan, maxAgeMs: number, serverNowMs: number): Refusal | undefined {
  const age = serverNowMs - Date.parse(plan.createdAt);
  if (Number.isNaN(age)) {
    return { code: 'policy.badCreatedAt', message: `the plan's createdAt (${String(plan.createdAt)}) is not a date: run meetctl plan again` };
  }
  if (age > maxAgeMs) {
    return {
      code: 'policy.planAge',
      message: `the plan was made at ${plan.createdAt}, longer ago than --max-plan-age (${durationText(maxAgeMs)}) by the server's clock: run meetctl plan again`,
    };
  }
  if (age < -FUTURE_TOLERANCE_MS) {
    return {
      code: 'policy.planFromFuture',
      message: `the plan was made at ${plan.createdAt}, after the server's time now (${new Date(serverNowMs).toISOString()}): it was not made against this server; run meetctl plan again`,
    };
  }
  return undefined;
}
