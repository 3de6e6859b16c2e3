/**
 * `meetctl drift`: a plan read as a report for a schedule (the report and its renderers live in
 * core/render/drift-*.ts, the listing of unmanaged series in meetings/unmanaged.ts).
 * Exit 0 in sync, 2 drift (a differing field, a missing keyed meeting, an orphan), 1 error.
 */
import type { Command } from 'commander';
import { driftAnnotations } from '../../core/render/annotations.js';
import { buildDriftReport, driftExitCode, driftStatusLine } from '../../core/render/drift-report.js';
import { formatList } from '../../core/render/formats.js';
import { findUnmanagedForPlan } from '../../meetings/unmanaged.js';
import { webexProvider } from '../../meetings/provider.js';
import { annotate, annotateDiagnostics, parseFormat, reportRunFailure, type Output } from '../output.js';
import { act, type Invocation } from '../io.js';
import { addConnectionOptions, addDesiredOptions, loggerFor, runPlan, UsageError, type PlanOptions } from '../pipeline.js';

interface DriftCommandOptions extends PlanOptions {
  format?: string;
  reportUnmanaged?: boolean;
}

export function registerDrift(program: Command, inv: Invocation): void {
  const { io } = inv;
  const cmd = program
    .command('drift')
    .description('report where live meetings differ from their files, keyed meetings that are missing and owned ones no file declares (for schedules): exit 0 in sync, 2 drift, 1 error')
    .option('--format <format>', formatList(), 'text')
    .option('--report-unmanaged', 'also list the meeting series the token can see that no file declares');
  addDesiredOptions(cmd);
  addConnectionOptions(cmd);
  cmd.action(
    act(inv, async (opts: DriftCommandOptions) => {
      const logger = loggerFor(opts, io);
      let out: Output | undefined;
      try {
        out = parseFormat(opts.format, io);
        if (opts.reportUnmanaged && ((opts.target?.length ?? 0) > 0 || opts.shard !== undefined)) {
          throw new UsageError('--report-unmanaged needs every file: it cannot be combined with --target or --shard');
        }
        const run = await runPlan(opts, logger, io);
        let extra: Parameters<typeof buildDriftReport>[1] = {};
        try {
          if (opts.reportUnmanaged) extra = { ...(await findUnmanagedForPlan(run.client, run.plan, run.nowMs)), checkedUnmanaged: true };
        } finally {
          await run.client.close();
        }
        const report = buildDriftReport(run.plan, extra);
        io.stdout.write(out.writers.drift(report, out.ctx));
        annotateDiagnostics(io, out, run.diagnostics, 'drift');
        annotate(io, out, (paths) => driftAnnotations(report, paths, webexProvider.words));
        io.stderr.write(`${driftStatusLine(report, webexProvider.words)}\n`);
        return driftExitCode(report);
      } catch (err) {
        return reportRunFailure(err, out, 'drift', io);
      }
    }),
  );
}
