import type { Command } from 'commander';
import { readPlanFile } from '../../core/saved-plan.js';
import { parseFormat, renderPlan, reportFailure } from './plan.js';
import { UsageError } from '../pipeline.js';

/**
 * `meetctl show PLANFILE`: the saved plan as `plan` printed it, as `terraform show` does, so a
 * reviewer can read the very artifact CI applies. Offline: it reads only the file.
 */
export function registerShow(program: Command): void {
  program
    .command('show')
    .description('print a saved plan (from plan --out) as text, json or markdown; offline')
    .argument('<planfile>', 'a plan saved with meetctl plan --out')
    .option('--format <format>', 'text, json or markdown', 'text')
    .action(async (file: string, opts: { format?: string }) => {
      try {
        const format = parseFormat(opts.format);
        const parsed = await readPlanFile(file);
        if (!parsed.ok) throw new UsageError(parsed.message);
        process.stdout.write(renderPlan(parsed.plan, format));
      } catch (err) {
        reportFailure(err);
      }
    });
}
