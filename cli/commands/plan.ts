import type { Command } from 'commander';

// Placeholder until the command lands; it says so instead of pretending to work.
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('meetctl plan: not implemented yet\n');
      process.exitCode = 1;
    });
}
