import type { Command } from 'commander';
import type { Plan } from '../../core/plan.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js';
import { writePlanFile } from '../../core/saved-plan.js';
import { addConnectionOptions, addDesiredOptions, loggerFor, runPlan, UsageError, useColor, type PlanOptions } from '../pipeline.js';

export type OutputFormat = 'text' | 'json' | 'markdown';

export function parseFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') {
    throw new UsageError(`--format must be text, json or markdown, not ${format}`);
  }
  return format;
}

export function renderPlan(plan: Plan, format: OutputFormat): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan, {});
  return renderPlanText(plan, { color: useColor() });
}

/** 0 no changes, 2 changes (with --detailed-exitcode), 1 when any meeting could not be planned. */
export function planExitCode(plan: Plan, detailed: boolean): number {
  if (plan.summary.error > 0) return 1;
  if (detailed && plan.summary.update > 0) return 2;
  return 0;
}

interface PlanCommandOptions extends PlanOptions {
  out?: string;
  format?: string;
  detailedExitcode?: boolean;
}

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('compare the desired-state files with the live meetings and show the smallest patches that reconcile them (read-only)')
    .option('--out <file>', 'save the plan for `meetctl apply FILE` (secrets stay references; mode 0600)')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when there are changes, 1 on error')
    .option('--send-email', 'record that apply should email invitees (default: no emails)');
  addDesiredOptions(cmd);
  addConnectionOptions(cmd);
  cmd.action(async (opts: PlanCommandOptions) => {
    const logger = loggerFor(opts);
    try {
      const format = parseFormat(opts.format);
      const run = await runPlan(opts, logger);
      await run.client.close();
      if (opts.out) await writePlanFile(opts.out, run.plan);
      process.stdout.write(renderPlan(run.plan, format));
      if (opts.out) process.stderr.write(`Plan saved to ${opts.out}; apply it with: meetctl apply ${opts.out}\n`);
      process.exitCode = planExitCode(run.plan, opts.detailedExitcode === true);
    } catch (err) {
      reportFailure(err);
    }
  });
}

export function reportFailure(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`meetctl: ${message}\n`);
  if (!(err instanceof UsageError) && err instanceof Error && process.env.MEETCTL_DEBUG) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
}
