import { planAnnotations } from '../../core/render/annotations.js';
import { readPlanFile } from '../../core/saved-plan.js';
import { annotate, parseFormat, reportFailure, type FormatOptions } from '../output.js';
import { UsageError } from '../pipeline.js';
import type { Io } from '../io.js';
import { webexProvider } from '../../meetings/provider.js';

/**
 * `meetctl show PLANFILE`: the saved plan as `plan` printed it, as `terraform show` does, so a
 * reviewer can read the very artifact CI applies. Offline: it reads only the file.
 */
export async function showCommand(file: string, opts: FormatOptions, io: Io): Promise<number> {
  try {
    const out = parseFormat(opts, io);
    const parsed = await readPlanFile(file);
    if (!parsed.ok) throw new UsageError(parsed.message);
    const controls = webexProvider.readControls(parsed.plan.controls);
    if (!controls.ok) throw new UsageError(`${file}: ${controls.message}`);
    io.stdout.write(out.writers.plan(parsed.plan, out.ctx));
    annotate(io, out, (paths) => planAnnotations(parsed.plan, paths, 'show', out.ctx.words));
    return 0;
  } catch (err) {
    return reportFailure(err, io);
  }
}
