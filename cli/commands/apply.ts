import type { Command } from 'commander';

// Placeholder until the command lands; it says so instead of pretending to work.
export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('meetctl apply: not implemented yet\n');
      process.exitCode = 1;
    });
}
