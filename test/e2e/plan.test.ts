import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { EXAMPLES, runCli, runProcess, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const SERIES = '1d824a4a205042eba9574e00b711b226';
const OCC = `${SERIES}_20270316T080000Z`;
const OTHER = '5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e';
const PASSWORD = 'Sync-Secret-771';

const seed = {
  now: NOW,
  meetings: [
    {
      id: SERIES,
      title: 'Sales Sync',
      agenda: 'Status',
      password: PASSWORD,
      timezone: 'Europe/Berlin',
      start: '2027-03-02T09:00:00+01:00',
      end: '2027-03-02T09:30:00+01:00',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
      meetingOptions: { enabledChat: true, enabledVideo: true },
      integrationTags: ['SALES-42'],
    },
    {
      id: OTHER,
      title: 'Design Review',
      timezone: 'America/New_York',
      start: '2027-02-10T14:00:00-05:00',
      end: '2027-02-10T15:00:00-05:00',
    },
  ],
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(files: Record<string, string>) {
  emu = await startEmulator({ seed: structuredClone(seed), now: NOW });
  const dir = writeTree(tempDir(), files);
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SYNC_PW: PASSWORD };
  return { emu, dir, env };
}

const syncFile = (extra = '') => `id: ${SERIES}
title: Sales Sync
timezone: Europe/Berlin
start: 2027-03-02T09:00:00
end: 2027-03-02T09:30:00
recurrence: FREQ=WEEKLY;BYDAY=TU;COUNT=20
password: \${env:SYNC_PW}
meetingOptions: { enabledChat: true }
${extra}`;

describe('meetctl plan against the emulator', () => {
  test('a meeting that matches its file plans no change, and plan sends only GETs', async () => {
    const { emu, dir, env } = await setup({ 'sync.yaml': syncFile(), 'review.yaml': `id: ${OTHER}\ntitle: Design Review\nstart: 2027-02-10T19:00:00Z\n` });
    const res = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env);
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/No changes/);
    const methods = new Set(emu.requestLog().map((r) => r.method));
    expect([...methods]).toEqual(['GET']);
  });

  test("validate's warnings are in the plan (text, markdown, JSON) as notes, but for those the plan says on its changes", async () => {
    const { dir, env } = await setup({
      // A start that is no Thursday under a Thursday rule: a warning only validate gives.
      'review.yaml': `id: ${OTHER}\ntitle: Design Review\ntimezone: America/New_York\nstart: 2027-02-10T14:00:00\nend: 2027-02-10T15:00:00\nrecurrence: FREQ=WEEKLY;BYDAY=TH;COUNT=3\n`,
      // Past the five-year cap: a warning every change of the series repeats, not a note.
      'sync.yaml': syncFile().replace('COUNT=20', 'UNTIL=20391231T000000Z'),
    });
    const note = `validate: ${join(dir, 'review.yaml')}:6:13: warning: the start 2027-02-10T14:00:00 is not one of the rule's meetings`;
    const text = await runCli(['plan', '--dir', dir], env);
    expect(text.stderr).toContain('is not one of the rule');
    expect(text.stdout).toContain(`i ${note}`);
    expect(text.stdout).not.toMatch(/i validate: .*five years/);
    expect(text.stdout).toMatch(/five years/);
    const md = await runCli(['plan', '--dir', dir, '--format', 'markdown'], env);
    expect(md.stdout).toContain('is not one of the rule');
    const json = JSON.parse((await runCli(['plan', '--dir', dir, '--format', 'json'], env)).stdout) as { notes: string[] };
    expect(json.notes.filter((n) => n.startsWith('validate: '))).toEqual([expect.stringContaining(note)]);
  });

  test('the patch is the minimal one, as exact JSON', async () => {
    const { dir, env } = await setup({
      'sync.yaml': syncFile('agenda: null\nintegrationTags: [SALES-42, Q1]\n').replace('title: Sales Sync', 'title: Weekly Sales Sync').replace('enabledChat: true', 'enabledChat: false'),
    });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--detailed-exitcode'], env);
    expect(res.code).toBe(2);
    const plan = JSON.parse(res.stdout);
    expect(plan.formatVersion).toBe(2);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0].patch).toEqual({
      title: 'Weekly Sales Sync',
      agenda: null,
      integrationTags: ['SALES-42', 'Q1'],
      meetingOptions: { enabledChat: false },
    });
    expect(plan.changes[0].fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('an occurrence override is planned after its series and tags never go to it', async () => {
    // The series changes its tags and the occurrence its title: the tags go to the series only.
    const { dir, env } = await setup({
      'sync.yaml': syncFile(`integrationTags: [SALES-42, Q2]\noccurrences:\n  - id: ${OCC}\n    title: Q1 review\n    end: 2027-03-16T10:00:00+01:00\n`),
    });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    const plan = JSON.parse(res.stdout);
    const series = plan.changes.find((c: { id: string }) => c.id === SERIES);
    expect(series).toMatchObject({ kind: 'series', action: 'update', order: 0 });
    expect(series.patch).toEqual({ integrationTags: ['SALES-42', 'Q2'] });
    const occ = plan.changes.find((c: { id: string }) => c.id === OCC);
    expect(occ).toMatchObject({ kind: 'scheduledMeeting', action: 'update', order: 1 });
    // A new end goes with the zone of the file (the series'), so Webex keeps it scheduled there.
    expect(occ.patch).toEqual({ title: 'Q1 review', end: '2027-03-16T10:00:00+01:00', timezone: 'Europe/Berlin' });
  });

  test('integrationTags on an occurrence are an error naming the file, line and field; no plan, nothing written', async () => {
    const { emu, dir, env } = await setup({
      'sync.yaml': syncFile(`occurrences:\n  - id: ${OCC}\n    integrationTags: [Q1]\n`),
    });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/sync\.yaml:\d+:\d+: .*integrationTags.*\(occurrences\[0\]\.integrationTags\)/);
    expect(res.stdout).toBe('');
    // Reads may start while the files are validated (they have no side effects); nothing else is sent.
    expect(emu.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('a series change to start cancels modified occurrences: the plan names them and re-sends declared overrides', async () => {
    const { emu, dir, env } = await setup({
      'sync.yaml': syncFile(`occurrences:\n  - id: ${OCC}\n    title: Q1 review\n`).replace('end: 2027-03-02T09:30:00', 'end: 2027-03-02T10:00:00'),
    });
    emu.editMeeting(OCC, { title: 'Q1 review', isModified: true });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    const plan = JSON.parse(res.stdout);
    const series = plan.changes.find((c: { id: string }) => c.id === SERIES);
    expect(series.patch).toEqual({ end: '2027-03-02T10:00:00+01:00', timezone: 'Europe/Berlin' });
    expect(series.warnings.join(' ')).toContain(OCC);
    const occ = plan.changes.find((c: { id: string }) => c.id === OCC);
    expect(occ).toMatchObject({ action: 'update', dependsOn: SERIES, patch: { title: 'Q1 review' } });
  });

  test('a meeting id that does not exist is an error for that file; the others still plan', async () => {
    const { dir, env } = await setup({
      'sync.yaml': syncFile().replace('title: Sales Sync', 'title: Renamed'),
      'ghost.yaml': 'id: 0000000000000000000000000000dead\ntitle: Ghost\n',
    });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], env);
    expect(res.code).toBe(1);
    const plan = JSON.parse(res.stdout);
    expect(plan.summary).toMatchObject({ update: 1, error: 1 });
    const ghost = plan.changes.find((c: { file: string }) => c.file.endsWith('ghost.yaml'));
    expect(ghost.reason).toMatch(/not found \(404\)/);
  });

  test('--out saves a plan without secret values, mode 0600', async () => {
    const { dir, env } = await setup({ 'sync.yaml': syncFile() });
    await emu!.editMeeting(SERIES, { password: 'Someone-Else-Set-This' });
    const out = join(tempDir(), 'plan.json');
    const res = await runCli(['plan', '--dir', dir, '--out', out], env);
    expect(res.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('${env:SYNC_PW}');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('Someone-Else-Set-This');
    expect(res.stdout).toContain('(sensitive)');
    expect(res.stdout + res.stderr).not.toContain(PASSWORD);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  test('--target limits the plan', async () => {
    const { dir, env } = await setup({
      'sync.yaml': syncFile().replace('title: Sales Sync', 'title: Renamed'),
      'review.yaml': `id: ${OTHER}\ntitle: Renamed too\n`,
    });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json', '--target', OTHER], env);
    const plan = JSON.parse(res.stdout);
    expect(plan.changes.map((c: { id: string }) => c.id)).toEqual([OTHER]);
  });

  test('markdown output is a PR comment with a summary table first', async () => {
    const { dir, env } = await setup({ 'sync.yaml': syncFile().replace('title: Sales Sync', 'title: Renamed') });
    const res = await runCli(['plan', '--dir', dir, '--format', 'markdown'], env);
    expect(res.stdout).toMatch(/\|[^\n]*Update[^\n]*\|/);
    // One change: a small plan, its section open.
    expect(res.stdout).toContain('<details open>');
  });

  // These two run the process: its exit codes 0, 1 and 2 are the interface, not just runMeetctl's.
  test('without a token plan stops with a clear error and exit 1', async () => {
    const { dir, env } = await setup({ 'sync.yaml': syncFile() });
    const res = await runProcess(['plan', '--dir', dir], { ...env, WEBEX_ACCESS_TOKEN: '' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/WEBEX_ACCESS_TOKEN is not set/);
  });

  // undici refuses such a header on every attempt and keeps a pool slot busy each time: the run
  // used to stall and end with Node's exit 13, no report and no message.
  test('a token stored with its line break is the same token; one with a space inside is refused up front, unquoted', async () => {
    const { dir, env } = await setup({ 'sync.yaml': syncFile() });
    const pasted = await runCli(['plan', '--dir', dir, '--detailed-exitcode'], { ...env, WEBEX_ACCESS_TOKEN: `${env.WEBEX_ACCESS_TOKEN}\n` });
    expect(pasted.code).toBe(0);
    expect(pasted.stdout).toMatch(/No changes/);
    const split = await runCli(['plan', '--dir', dir], { ...env, WEBEX_ACCESS_TOKEN: 'abc\r\ndef-SECRET' });
    expect(split.code).toBe(1);
    expect(split.stderr).toContain('WEBEX_ACCESS_TOKEN: the access token holds a space, a line break or another character that is not printable ASCII (character 4 of 15)');
    expect(split.stdout + split.stderr).not.toContain('SECRET');
    const blank = await runCli(['plan', '--dir', dir], { ...env, WEBEX_ACCESS_TOKEN: '\n' });
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(/WEBEX_ACCESS_TOKEN holds only spaces or line breaks/);
  });

  test('the example repository plans against the built-in seed', async () => {
    emu = await startEmulator({ now: NOW });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' };
    const first = await runProcess(['plan', '--dir', EXAMPLES, '--detailed-exitcode'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(2);
    const applied = await runProcess(['apply', '--dir', EXAMPLES, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    const second = await runProcess(['plan', '--dir', EXAMPLES, '--detailed-exitcode'], env);
    expect(second.stdout).toMatch(/No changes/);
    expect(second.code).toBe(0);
  });
});
