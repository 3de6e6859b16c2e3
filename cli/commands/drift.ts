/**
 * `meetctl drift`: a plan read as a report for a schedule (the report and its renderers live in
 * core/render/drift-*.ts, the listing of unmanaged series in meetings/unmanaged.ts).
 * Exit 0 in sync, 2 drift (a differing field, a missing keyed meeting, an orphan), 1 error.
 */
import { driftAnnotations } from '../../core/render/annotations.js';
import { buildDriftReport, driftExitCode, driftStatusLine } from '../../core/render/drift-report.js';
import { findUnmanagedForPlan } from '../../meetings/unmanaged.js';
import { webexProvider } from '../../meetings/provider.js';
import { annotate, annotateDiagnostics, checkFullReportTarget, parseFormat, reportRunFailure, wholeReport, writeFullReport, type FormatOptions, type Output } from '../output.js';
import type { Io } from '../io.js';
import { loggerFor, runPlan, UsageError, type PlanOptions } from '../pipeline.js';

export interface DriftCommandOptions extends PlanOptions, FormatOptions {
  reportUnmanaged?: boolean;
}

export async function driftCommand(opts: DriftCommandOptions, io: Io): Promise<number> {
  const logger = loggerFor(opts, io);
  let out: Output | undefined;
  try {
    out = parseFormat(opts, io);
    await checkFullReportTarget(opts.fullReport);
    if (opts.reportUnmanaged && ((opts.target?.length ?? 0) > 0 || opts.shard !== undefined)) {
      throw new UsageError('--report-unmanaged needs every file: it cannot be combined with --target or --shard');
    }
    const run = await runPlan({ ...opts, findOrphans: true }, logger, io);
    let extra: Parameters<typeof buildDriftReport>[1] = {};
    try {
      if (opts.reportUnmanaged) extra = { ...(await findUnmanagedForPlan(run.client, run.plan, run.nowMs)), checkedUnmanaged: true };
    } finally {
      await run.client.close();
    }
    const report = buildDriftReport(run.plan, extra);
    if (opts.fullReport !== undefined) await writeFullReport(opts.fullReport, out.writers.drift(report, wholeReport(out)));
    io.stdout.write(out.writers.drift(report, out.ctx));
    annotateDiagnostics(io, out, run.diagnostics, 'drift');
    annotate(io, out, (paths) => driftAnnotations(report, paths, webexProvider.words));
    io.stderr.write(`${driftStatusLine(report, webexProvider.words)}\n`);
    return driftExitCode(report);
  } catch (err) {
    return reportRunFailure(err, out, 'drift', io);
  }
}
