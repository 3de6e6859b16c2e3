import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeetctl } from '../../cli/program.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'meetctl.js');
export const EXAMPLES = join(ROOT, 'examples', 'meetings');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Given: the CLI runs as a process (signals). */
  onSpawn?: (c: ChildProcess) => void;
  /** Given: the CLI runs as a process, with this on stdin. */
  input?: string;
}

/** What the CLI sees of the environment: exactly the test's, plus PATH and NO_COLOR (never the test process's own). */
function cliEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { PATH: process.env.PATH, NO_COLOR: '1', ...env };
}

/**
 * Run the CLI in-process (`runMeetctl`, the sources), as a user would but without a process start
 * per call; with `onSpawn` or `input`, as a process (`runProcess`). Same result either way.
 */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, opts: CliOptions = {}): Promise<CliResult> {
  if (opts.onSpawn || opts.input !== undefined) return runProcess(args, env, opts);
  const r = await runMeetctl(args, { env: cliEnv(env) });
  return { code: r.exitCode, signal: null, stdout: r.stdout, stderr: r.stderr };
}

/** Run the built `bin/meetctl.js` as a process: for what only a process shows (signals, exit, fd 0–2). Async, so an in-process emulator keeps serving meanwhile. */
export function runProcess(args: string[], env: Record<string, string | undefined> = {}, opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cliEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
    opts.onSpawn?.(child);
  });
}

export function tempDir(prefix = 'meetctl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write a tree of desired-state files: { 'a/b.yaml': 'id: …' }. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/**
 * `meetctl emulator ARGS` as a user starts it (a real process: it serves until a signal), resolved
 * once it has printed its two stdout lines (base URL, token). The caller kills `child`.
 */
export function startEmulatorProcess(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcessWithoutNullStreams; ready: Promise<{ lines: string[]; stderr: () => string }> } {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const ready = new Promise<{ lines: string[]; stderr: () => string }>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const lines = out.split('\n');
      if (lines.length >= 3) resolve({ lines: lines.slice(0, 2), stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited early (${code}): ${err}`)));
  });
  return { child, ready };
}

/** Run a shell script of the repository (the CI recipes) with exactly `env`; stdout and stderr interleaved in `out`. */
export function runShellScript(script: string, env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
