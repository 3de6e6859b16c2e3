/** `meetctl validate` as a user runs it: the built bin, exit codes, stdout/stderr split, formats. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, runCli, tempDir, writeTree } from '../support/cli.js';

describe('meetctl validate', () => {
  it('the examples are valid: exit 0, nothing on stdout, a summary on stderr', async () => {
    const r = await runCli(['validate', '--dir', EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').pop()).toBe('5 files valid');
  });

  it('prints path:line:col: message (field) per error, exit 1, and counts errors and files', async () => {
    const dir = writeTree(tempDir(), {
      'a.yaml': 'id: abc123\nmeetingNumber: "1"\ntitle: 42\n',
      'b.yaml': 'id: def456\nunlockedMeetingJoinSecurity: allowAll\n',
      'c.yaml': 'id: ghi789\n',
    });
    const r = await runCli(['validate', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${join(dir, 'a.yaml')}:2:1: unknown field 'meetingNumber' (response-only: set by Webex) (meetingNumber)`,
      `${join(dir, 'a.yaml')}:3:8: must be a string, not a whole number (title)`,
      `${join(dir, 'b.yaml')}:2:30: must be one of: allowJoin, allowJoinWithLobby, blockFromJoin (unlockedMeetingJoinSecurity)`,
    ]);
    expect(r.stderr.trim().split('\n').pop()).toBe('3 errors in 2 files');
  });

  it('--format json prints the diagnostics as a JSON array', async () => {
    const dir = writeTree(tempDir(), { 'a.yaml': 'id: abc123\ntitel: x\n' });
    const r = await runCli(['validate', '--dir', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        code: 'schema.unknownField',
        severity: 'error',
        message: "unknown field 'titel' (did you mean 'title'?)",
        file: join(dir, 'a.yaml'),
        line: 2,
        col: 1,
        field: 'titel',
      },
    ]);
  });

  it('warnings alone keep exit 0', async () => {
    const dir = writeTree(tempDir(), { 'a.yaml': 'id: abc123\nrecurrence: FREQ=MONTHLY;BYMONTHDAY=1,15\n' });
    const r = await runCli(['validate', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a.yaml:2:13: warning: Webex keeps only the first BYMONTHDAY of a MONTHLY rule');
    expect(r.stderr.trim().split('\n').pop()).toBe('1 file valid, 1 warning');
  });

  it('a byte order mark is an error: exit 1, named with its file, line and column', async () => {
    const dir = writeTree(tempDir(), { 'a.yaml': '\uFEFFid: abc123\n', 'b.yaml': 'id: def456\n' });
    const r = await runCli(['validate', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a.yaml:1:1: file starts with a UTF-8 byte order mark');
    expect(r.stdout).not.toContain('b.yaml');
  });

  it('a rule Webex caps or truncates is a warning at the rule (exit 0); a malformed rule or an UNTIL before start is an error', async () => {
    const series = (rule: string) => `id: abc123\nstart: 2027-03-02T09:00:00Z\nend: 2027-03-02T09:30:00Z\nrecurrence: ${rule}\n`;
    const dir = writeTree(tempDir(), {
      'count.yaml': series('FREQ=WEEKLY;BYDAY=TU;COUNT=400'),
      'until.yaml': series('FREQ=DAILY;UNTIL=21241001T000000Z').replace('abc123', 'def456'),
      'monthly.yaml': series('FREQ=MONTHLY;BYMONTHDAY=2,15;COUNT=12').replace('abc123', 'ghi789'),
    });
    const ok = await runCli(['validate', '--dir', dir]);
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    // The COUNT the plan's own normalization keeps, counted from the local clock (validate's "now").
    expect(lines.find((l) => l.startsWith(`${join(dir, 'count.yaml')}:4:13: warning: Webex ends a series at most five years from now: COUNT=400 becomes COUNT=`))).toMatch(
      /, counted from today; the plan counts from the server's clock and shows that change \(recurrence\)$/,
    );
    expect(lines.find((l) => l.startsWith(`${join(dir, 'until.yaml')}:4:13: warning: UNTIL=21241001T000000Z is more than five years from now`))).toMatch(/\(recurrence\)$/);
    expect(lines).toContain(`${join(dir, 'monthly.yaml')}:4:13: warning: Webex keeps only the first BYMONTHDAY of a MONTHLY rule (2) (recurrence)`);
    expect(lines).toHaveLength(3);
    expect(ok.stderr.trim().split('\n').pop()).toBe('3 files valid, 3 warnings');

    const bad = writeTree(tempDir(), {
      'malformed.yaml': series('FREQ=WEEKLY;COUNT=ten'),
      'before.yaml': series('FREQ=WEEKLY;BYDAY=TU;UNTIL=20270201T000000Z').replace('abc123', 'def456'),
    });
    const r = await runCli(['validate', '--dir', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${join(bad, 'before.yaml')}:4:13: UNTIL=20270201T000000Z is before the series start (2027-03-02T09:00:00Z): the series would end before it begins (recurrence)`,
      `${join(bad, 'malformed.yaml')}:4:13: COUNT=TEN must be a positive whole number (recurrence)`,
    ]);
  });

  it('a missing directory is an error, exit 1', async () => {
    const missing = join(tempDir(), 'nowhere');
    const r = await runCli(['validate', '--dir', missing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`directory ${missing} does not exist`);
    expect(r.stderr).toContain('1 error in 1 file');
  });

  it('defaults to ./meetings and refuses an unknown format', async () => {
    const cwd = writeTree(tempDir(), { 'meetings/a.yaml': 'id: abc123\n' });
    const ok = await runCliIn(cwd, ['validate']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('1 file valid');
    const bad = await runCli(['validate', '--dir', EXAMPLES, '--format', 'xml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--format must be text, json, markdown or github, not xml');
  });
});

/** runCli with a working directory (the default --dir is relative to it). */
async function runCliIn(cwd: string, args: string[]) {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('../support/cli.js');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
