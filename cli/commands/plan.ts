/** `meetctl plan` (its options: cli/definitions.ts). */
import { sentCount, type Plan } from '../../core/plan.js';
import { planAnnotations } from '../../core/render/annotations.js';
import { writePlanFile } from '../../core/saved-plan.js';
import { annotate, annotateDiagnostics, parseFormat, reportRunFailure, type FormatOptions, type Output } from '../output.js';
import type { Io } from '../io.js';
import { webexProvider } from '../../meetings/provider.js';
import { loggerFor, runPlan, type PlanOptions } from '../pipeline.js';

/** 0 no changes, 2 changes to send — creates and deletes count — (with --detailed-exitcode), 1 when any meeting could not be planned. Orphans alone send nothing. */
export function planExitCode(plan: Plan, detailed: boolean): number {
  if (plan.summary.error > 0) return 1;
  if (detailed && sentCount(plan.summary) > 0) return 2;
  return 0;
}

export interface PlanCommandOptions extends PlanOptions, FormatOptions {
  out?: string;
  detailedExitcode?: boolean;
}

export async function planCommand(opts: PlanCommandOptions, io: Io): Promise<number> {
  const logger = loggerFor(opts, io);
  let out: Output | undefined;
  try {
    out = parseFormat(opts, io);
    const run = await runPlan(opts, logger, io);
    await run.client.close();
    if (opts.out) await writePlanFile(opts.out, run.plan);
    io.stdout.write(out.writers.plan(run.plan, out.ctx));
    annotateDiagnostics(io, out, run.diagnostics, 'plan');
    annotate(io, out, (paths) => planAnnotations(run.plan, paths, 'plan', webexProvider.words));
    if (opts.out) io.stderr.write(`Plan saved to ${opts.out}; apply it with: meetctl apply ${opts.out}\n`);
    return planExitCode(run.plan, opts.detailedExitcode === true);
  } catch (err) {
    return reportRunFailure(err, out, 'plan', io);
  }
}
