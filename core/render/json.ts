/** Machine-readable output: the plan is exactly the saved-plan file; the report is the ApplyReport. */
import type { Plan } from '../plan.js';
import type { ApplyReport } from '../report.js';
import { serializePlan } from '../saved-plan.js';

export function renderPlanJson(plan: Plan): string {
  return serializePlan(plan);
}

export function renderApplyJson(report: ApplyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
