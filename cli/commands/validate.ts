import type { Command } from 'commander';

// Placeholder until the command lands; it says so instead of pretending to work.
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('meetctl validate: not implemented yet\n');
      process.exitCode = 1;
    });
}
