import { spawn, type ChildProcess } from 'node:child_process';
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
