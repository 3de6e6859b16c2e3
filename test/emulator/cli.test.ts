import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startEmulatorProcess, tempDir } from '../support/cli.js';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Start `meetctl emulator` and wait for its two stdout lines. */
async function startCli(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; lines: string[]; stderr: () => string }> {
  const { child, ready } = startEmulatorProcess(args);
  children.push(child);
  return { child, ...(await ready) };
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

describe('meetctl emulator', () => {
  test('prints the base URL then the token, serves, and exits 0 on SIGTERM', async () => {
    const { child, lines, stderr } = await startCli(['--port', '0', '--now', '2027-01-15T09:00:00Z']);
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(lines[1]).toBe('token: emulator-admin-token');
    const res = await request(`${lines[0]}/meetings/1d824a4a205042eba9574e00b711b226?hostEmail=sales.lead@example.com`, { headers: { authorization: 'Bearer emulator-admin-token' } });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { title: string }).title).toBe('Sales Sync');
    const log = await request(`${new URL(lines[0]).origin}/_emulator/requests`);
    expect(((await log.body.json()) as unknown[]).length).toBe(1);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(stderr()).toMatch(/emulator listening/);
    expect(stderr()).not.toContain('emulator-admin-token');
  });

  test('SIGINT also closes cleanly', async () => {
    const { child } = await startCli(['--rate-limit', '5', '--latency', '1', '--fault-rate', '0']);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  test("a seed file's createQuota turns the quota on, as the README says (the seed schema takes it)", async () => {
    const seed = join(tempDir(), 'seed.json');
    writeFileSync(seed, JSON.stringify({ meetings: [], createQuota: { user: 5, admin: 7, adminPerUser: 6 } }));
    const { child, lines } = await startCli(['--seed', seed]);
    const res = await request(`${new URL(lines[0]).origin}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(((await res.body.json()) as { createQuota: unknown }).createQuota).toEqual({ user: 5, admin: 7, adminPerUser: 6 });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  test('--create-quota turns on the documented create quota (off without it)', async () => {
    for (const [args, quota] of [[['--create-quota'], { user: 100, admin: 3000, adminPerUser: 800 }], [[], null]] as const) {
      const { child, lines } = await startCli([...args]);
      const res = await request(`${new URL(lines[0]).origin}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(((await res.body.json()) as { createQuota: unknown }).createQuota).toEqual(quota);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    }
  });

  test('invalid option values: a message and exit 1', async () => {
    for (const [args, message] of [
      [['--port', 'abc'], /--port must be an integer/],
      [['--fault-rate', '1.5'], /--fault-rate must be a probability/],
      [['--latency', '-3'], /--latency must be/],
      [['--rate-limit', 'fast'], /--rate-limit must be/],
      [['--now', 'tomorrow'], /--now must be an ISO 8601 instant/],
      [['--seed', '/nonexistent/seed.yaml'], /ENOENT|no such file/],
    ] as const) {
      const r = await runCli(['emulator', ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
