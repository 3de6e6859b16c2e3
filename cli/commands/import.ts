import type { Command } from 'commander';

// Placeholder until the command lands; it says so instead of pretending to work.
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('meetctl import: not implemented yet\n');
      process.exitCode = 1;
    });
}
