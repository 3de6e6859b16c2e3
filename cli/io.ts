/**
 * What a command reads from and writes to, instead of the process globals: the real process
 * passes its own (cli/main.ts), tests pass buffers and an env of their own and run in-process.
 */

/** The part of a writable stream a command uses. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** Where SIGINT and SIGTERM arrive: the process itself, or nothing in-process. */
export interface Signals {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  once(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: OutStream;
  stderr: OutStream;
  /** Absent: not a terminal, nothing to read (as a closed pipe). */
  stdin?: InStream;
  /** Absent in-process: no handlers are installed, an interrupt is the test's own. */
  signals?: Signals;
}

/**
 * A reader that goes away (`meetctl drift | head -1`) is not an error of the command: its output is
 * no longer wanted, and the exit code stays the command's (a CI step branches on drift's 2).
 */
function ignoreClosedReader(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return stream;
}

/** The real process's Io; only cli/main.ts uses it. */
export function processIo(): Io {
  ignoreClosedReader(process.stdout);
  ignoreClosedReader(process.stderr);
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    // Lazily: opening fd 0 is for a command that reads it (apply's confirmation), not for every run.
    get stdin() {
      return process.stdin;
    },
    signals: process,
  };
}

/** A stream that keeps what is written, for `runMeetctl`'s result. */
export function captureStream(): OutStream & { text(): string } {
  const chunks: string[] = [];
  return {
    write(text: string) {
      chunks.push(text);
      return true;
    },
    text: () => chunks.join(''),
  };
}

/** One run of the program: its Io and, once the command has run, its exit code. */
export interface Invocation {
  io: Io;
  exitCode: number;
}

/** A command action that returns its exit code, recorded on the invocation (never on the process). */
export function act<A extends unknown[]>(inv: Invocation, fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    inv.exitCode = await fn(...args);
  };
}
