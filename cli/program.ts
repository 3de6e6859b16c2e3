/**
 * The program for one Io: `runMeetctl` runs a command line and returns its exit code and what it
 * wrote, never touching the process's exit code, streams or environment (cli/main.ts does that).
 */
import { Command, CommanderError } from 'commander';
import { registerApply, registerDrift, registerEmulator, registerImport, registerPlan, registerShow, registerValidate } from './definitions.js';
import { captureStream, type Invocation, type Io, type OutStream } from './io.js';

/** Exit codes are part of the interface: 0 ok / no changes, 1 error, 2 changes present. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

// As commander's own default: a terminal's width, else undefined (its typing says number; it falls back to 80).
const helpWidth = (s: OutStream) => (s.isTTY ? s.columns : undefined) as number;

export function buildProgram(inv: Invocation): Command {
  const { io } = inv;
  const program = new Command();
  // Before the commands are added: they inherit the output and the exit override.
  program
    .name('meetctl')
    .description('Manage Cisco Webex meetings as code: validate, plan, apply and drift-check YAML files.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
      getOutHasColors: () => io.stdout.isTTY === true && !io.env.NO_COLOR,
      getErrHasColors: () => io.stderr.isTTY === true && !io.env.NO_COLOR,
    });
  registerValidate(program, inv);
  registerPlan(program, inv);
  registerApply(program, inv);
  registerDrift(program, inv);
  registerImport(program, inv);
  registerShow(program, inv);
  registerEmulator(program, inv);
  return program;
}

/** Runs `argv` (the arguments after the program name) with `io`; resolves to the exit code. */
export async function runWithIo(argv: readonly string[], io: Io): Promise<number> {
  const inv: Invocation = { io, exitCode: EXIT.ok };
  try {
    await buildProgram(inv).parseAsync([...argv], { from: 'user' });
    return inv.exitCode;
  } catch (err) {
    // --help, --version and usage errors: commander has already written its message.
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr.write(`meetctl: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}

export interface MeetctlResult {
  exitCode: number;
  /** What was written to stdout and stderr; empty for a stream the caller passed in. */
  stdout: string;
  stderr: string;
}

/** In-process: `env` defaults to empty (not the caller's environment), the streams to buffers. */
export async function runMeetctl(argv: readonly string[], io: Partial<Io> = {}): Promise<MeetctlResult> {
  const stdout = captureStream();
  const stderr = captureStream();
  const exitCode = await runWithIo(argv, { env: {}, stdout, stderr, ...io });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}
