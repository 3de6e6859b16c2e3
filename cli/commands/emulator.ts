import type { Command } from 'commander';

// Placeholder until the command lands; it says so instead of pretending to work.
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('meetctl emulator: not implemented yet\n');
      process.exitCode = 1;
    });
}
