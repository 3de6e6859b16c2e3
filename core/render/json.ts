/** Machine-readable output: the plan is exactly the saved-plan file; the reports are the ApplyReport and DriftReport. */
import type { Plan } from '../plan.js';
import type { ApplyReport } from '../report.js';
import type { DriftReport } from './drift-report.js';
import { serializePlan } from '../saved-plan.js';

export function renderPlanJson(plan: Plan): string {
  return serializePlan(plan);
}

export function renderApplyJson(report: ApplyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
