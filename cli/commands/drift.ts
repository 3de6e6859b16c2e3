import type { Command } from 'commander';

// Placeholder until the command lands; it says so instead of pretending to work.
export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('meetctl drift: not implemented yet\n');
      process.exitCode = 1;
    });
}
