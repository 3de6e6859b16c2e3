import { Command } from 'commander';
import { registerValidate } from './commands/validate.js';
import { registerEmulator } from './commands/emulator.js';
import { registerPlan } from './commands/plan.js';
import { registerApply } from './commands/apply.js';
import { registerDrift } from './commands/drift.js';
import { registerImport } from './commands/import.js';
import { registerShow } from './commands/show.js';

/** Exit codes are part of the interface: 0 ok / no changes, 1 error, 2 changes present. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('meetctl')
    .description('Manage Cisco Webex meetings as code: validate, plan, apply and drift-check YAML files.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerValidate(program);
  registerPlan(program);
  registerApply(program);
  registerDrift(program);
  registerImport(program);
  registerShow(program);
  registerEmulator(program);
  return program;
}

await buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`meetctl: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.error;
  });
