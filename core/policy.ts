/**
 * The safety checks a plan must pass before anything is sent, as functions of the Plan (octoDNS
 * keeps them on its Plan): every command and every future caller gets the same answers. Each
 * refusal is a value with a code and a sentence; the caller decides how to print it. The words
 * for what a change touches ("meetings") come from the caller: nothing here knows the provider.
 */
import { PLAN_FORMAT_VERSION, type Plan } from './plan.js';

export interface Refusal {
  code: 'policy.maxChanges' | 'policy.massChange' | 'policy.formatVersion' | 'policy.otherTarget' | 'policy.planAge' | 'policy.planFromFuture' | 'policy.badCreatedAt';
  message: string;
}

/** Refuse a plan that touches this share of the managed objects (at least MASS_CHANGE_MIN of them) unless forced. */
export const MASS_CHANGE_SHARE = 0.3;
export const MASS_CHANGE_MIN = 10;

/** How far ahead of the server's clock a plan's time may be (the server's clock moved on between reads). */
export const FUTURE_TOLERANCE_MS = 2 * 60_000;

export interface ChangeLimits {
  maxChanges?: number;
  force?: boolean;
  /** What the changes touch, plural ("meetings"). */
  noun: string;
  /** Why a mass change needs forcing, in the provider's words. */
  massChangeWhy: string;
}

/** The change-count guards: an explicit ceiling, and a share of the managed objects. */
export function checkChangeCounts(plan: Plan, limits: ChangeLimits): Refusal | undefined {
  const updates = plan.summary.update;
  if (limits.maxChanges !== undefined && updates > limits.maxChanges) {
    return { code: 'policy.maxChanges', message: `the plan has ${updates} changes, more than --max-changes ${limits.maxChanges}: nothing was applied` };
  }
  const managed = plan.changes.length;
  if (!limits.force && managed >= MASS_CHANGE_MIN && updates > MASS_CHANGE_SHARE * managed) {
    const pct = Math.round((100 * updates) / managed);
    return {
      code: 'policy.massChange',
      message:
        `the plan changes ${updates} of ${managed} managed ${limits.noun} (${pct}%), more than ${MASS_CHANGE_SHARE * 100}%: ` +
        `${limits.massChangeWhy}, so this needs --force (nothing was applied)`,
    };
  }
  return undefined;
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
export function checkPlanAge(plan: Plan, maxAgeMs: number, serverNowMs: number): Refusal | undefined {
  const age = serverNowMs - Date.parse(plan.createdAt);
  if (Number.isNaN(age)) {
    return { code: 'policy.badCreatedAt', message: `the plan's createdAt (${String(plan.createdAt)}) is not a date: run meetctl plan again` };
  }
  if (age > maxAgeMs) {
    return {
      code: 'policy.planAge',
      message: `the plan was made at ${plan.createdAt}, longer ago than --max-plan-age (${Math.round(maxAgeMs / 60000)} min) by the server's clock: run meetctl plan again`,
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
