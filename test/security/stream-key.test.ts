/**
 * An RTMP ingest URL carries the stream key (liveStream.rtmpUrl): a file writes it out, but no plan,
 * drift report or apply report prints it, and a key changed in Webex, which git never held, is
 * written nowhere: the nightly drift report is posted as an issue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { startProxy, type Proxy } from '../support/proxy.js';

let emu: Emulator | undefined;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await emu?.close();
  emu = undefined;
  proxy = undefined;
});

const ID = 'd5000000000000000000000000000001';
const FILE_KEY = 'rtmp://ingest.example/live/FILEKEY111';
const LIVE_KEY = 'rtmp://ingest.example/live/LIVEKEY999';
const stream = (rtmpUrl: string, destination = 'Example') => ({ destination, rtmpUrl, streamUrl: 'https://watch.example/launch' });

test('a stream key changed in Webex is reported as drift by its path, its value in no output; an unchanged key gets no line', async () => {
  const seed: SeedMeeting[] = [{ id: ID, title: 'Launch', timezone: 'UTC', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z', enabledLiveStream: true, liveStream: stream(FILE_KEY) }];
  emu = await startEmulator({ seed: { now: '2027-01-15T09:00:00Z', meetings: seed }, now: '2027-01-15T09:00:00Z' });
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  const file = (destination: string) => `id: ${ID}\ntitle: Launch\nenabledLiveStream: true\nliveStream:\n  destination: ${destination}\n  rtmpUrl: ${FILE_KEY}\n  streamUrl: https://watch.example/launch\n`;
  const dir = writeTree(tempDir(), { 'launch.yaml': file('Example') });
  expect((await runCli(['drift', '--dir', dir], env)).code).toBe(0);

  // Changed in Webex, behind git's back.
  emu.editMeeting(ID, { liveStream: stream(LIVE_KEY) });
  const outputs: string[] = [];
  for (const format of ['text', 'json', 'markdown', 'github']) {
    const drift = await runCli(['drift', '--dir', dir, '--format', format], env);
    expect(drift.code, format).toBe(2);
    outputs.push(drift.stdout, drift.stderr);
    if (format === 'text') expect(drift.stdout).toMatch(/liveStream\.rtmpUrl.*\(sensitive\)/);
  }
  const planFile = join(tempDir(), 'plan.json');
  for (const format of ['text', 'markdown']) outputs.push((await runCli(['plan', '--dir', dir, '--format', format], env)).stdout);
  // The saved plan (and the JSON plan, the same text) holds what apply sends, the key as the file has it; never the live one.
  const saved = [(await runCli(['plan', '--dir', dir, '--format', 'json', '--out', planFile], env)).stdout, readFileSync(planFile, 'utf8')];
  const applied = await runCli(['apply', planFile, '--format', 'json'], env);
  expect(applied.code).toBe(0);
  outputs.push(applied.stdout, applied.stderr);
  for (const [i, text] of [...outputs, ...saved].entries()) expect(text.includes('LIVEKEY999'), `output ${i}`).toBe(false);
  for (const [i, text] of outputs.entries()) expect(text.includes('FILEKEY111'), `output ${i}`).toBe(false);
  expect(saved[1]).toContain('"rtmpUrl": "(sensitive)"');
  expect((emu.getMeeting(ID)?.liveStream as { rtmpUrl: string }).rtmpUrl).toBe(FILE_KEY);

  // Another member changed, the key as the file has it: the key gets no line.
  writeTreeFile(dir, file('Elsewhere'));
  const plan = await runCli(['plan', '--dir', dir], env);
  expect(plan.stdout).toMatch(/liveStream\.destination: "Example" → "Elsewhere"/);
  expect(plan.stdout).not.toMatch(/rtmpUrl/);
});

function writeTreeFile(dir: string, text: string): void {
  writeTree(dir, { 'launch.yaml': text });
}

test('a meeting that cannot be updated prints neither its live key nor the password reference, in drift, the plan or the saved plan', async () => {
  // 10 years ahead: Webex updates no such meeting, so the plan says "not updatable" with the fields that differ.
  const far = { timezone: 'UTC', start: '2037-03-01T09:00:00Z', end: '2037-03-01T10:00:00Z', enabledLiveStream: true, liveStream: stream(LIVE_KEY), password: 'Old-Pw-1' };
  emu = await startEmulator({ seed: { now: '2027-01-15T09:00:00Z', meetings: [{ id: ID, title: 'Launch', ...far }] }, now: '2027-01-15T09:00:00Z' });
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, LAUNCH_PW: 'New-Pw-2' };
  const dir = writeTree(tempDir(), {
    'launch.yaml': `id: ${ID}\ntitle: Launch\npassword: \${env:LAUNCH_PW}\nenabledLiveStream: true\nliveStream:\n  destination: Example\n  rtmpUrl: ${FILE_KEY}\n  streamUrl: https://watch.example/launch\n`,
  });
  const outputs: string[] = [];
  for (const format of ['text', 'json', 'markdown', 'github']) {
    const drift = await runCli(['drift', '--dir', dir, '--format', format], env);
    expect(drift.code, format).toBe(2);
    outputs.push(drift.stdout, drift.stderr);
    if (format === 'text') {
      expect(drift.stdout).toMatch(/not updatable/);
      expect(drift.stdout).toContain('liveStream.rtmpUrl: live (sensitive), desired (sensitive)');
      expect(drift.stdout).toContain('password: live (sensitive), desired (sensitive)');
    }
  }
  const planFile = join(tempDir(), 'plan.json');
  outputs.push((await runCli(['plan', '--dir', dir, '--format', 'json', '--out', planFile], env)).stdout, readFileSync(planFile, 'utf8'));
  outputs.push((await runCli(['show', planFile, '--format', 'json'], env)).stdout);
  for (const [i, text] of outputs.entries()) {
    expect(text.includes('LIVEKEY999'), `output ${i}`).toBe(false);
    expect(text.includes('Old-Pw-1'), `output ${i}`).toBe(false);
  }
  // Drift's reports never show the file's secret side either, the reference included.
  for (const [i, text] of outputs.slice(0, 8).entries()) {
    expect(text.includes('FILEKEY111'), `drift output ${i}`).toBe(false);
    expect(text.includes('LAUNCH_PW'), `drift output ${i}`).toBe(false);
  }
});

test('an apply whose answer stores the stream differently, or quotes the request in an error, never prints the key', async () => {
  const seed: SeedMeeting[] = [{ id: ID, title: 'Launch', timezone: 'UTC', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z' }];
  emu = await startEmulator({ seed: { now: '2027-01-15T09:00:00Z', meetings: seed }, now: '2027-01-15T09:00:00Z' });
  let mode: 'normalize' | 'echo' = 'normalize';
  // A server that keeps the stream at another resolution than was sent (its answer says so); or one that quotes the request in a 400.
  proxy = await startProxy(emu.baseUrl, {
    answer: (req, body) => (mode === 'echo' && req.method === 'PATCH' ? { status: 400, body: { message: `Rejected ${body.toString('utf8')}`, trackingId: 'ECHO-2' } } : undefined),
    rewrite: (req, status, body) => {
      if (req.method !== 'PATCH' || status !== 200) return body;
      const meeting = JSON.parse(body.toString('utf8')) as { liveStream?: { resolution?: string } };
      if (meeting.liveStream) meeting.liveStream.resolution = '1280x720';
      return Buffer.from(JSON.stringify(meeting));
    },
  });
  const env = { WEBEX_BASE_URL: proxy.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  const dir = writeTree(tempDir(), {
    'launch.yaml': `id: ${ID}\ntitle: Launch\nenabledLiveStream: true\nliveStream:\n  destination: Example\n  rtmpUrl: ${FILE_KEY}\n  streamUrl: https://watch.example/launch\n  resolution: 1920x1080\n`,
  });
  const outputs: string[] = [];
  for (const format of ['text', 'json', 'markdown', 'github']) {
    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', format], env);
    outputs.push(applied.stdout, applied.stderr);
    expect(applied.stdout + applied.stderr, format).toMatch(/liveStream: the server stored \{.*(\\)?"rtmpUrl(\\)?":(\\)?"\(sensitive\).*1280x720/);
    // Back to another resolution, so that the next apply sends the stream again.
    emu.editMeeting(ID, { liveStream: { ...stream(FILE_KEY), resolution: '640x360' } });
  }
  mode = 'echo';
  for (const format of ['text', 'github']) {
    const applied = await runCli(['apply', '--dir', dir, '--auto-approve', '--format', format], env);
    expect(applied.code).toBe(1);
    outputs.push(applied.stdout, applied.stderr);
    if (format === 'text') expect(applied.stdout).toMatch(/Rejected .*"rtmpUrl":"\[redacted\]"/);
  }
  for (const [i, text] of outputs.entries()) expect(text.includes('FILEKEY111'), `output ${i}`).toBe(false);
});

test('import writes a stream key as Webex holds it, and says so: whoever reads the repository can stream to it', async () => {
  const seed: SeedMeeting[] = [{ id: ID, title: 'Launch', timezone: 'UTC', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z', enabledLiveStream: true, liveStream: stream(LIVE_KEY) }];
  emu = await startEmulator({ seed: { now: '2027-01-15T09:00:00Z', meetings: seed }, now: '2027-01-15T09:00:00Z' });
  const out = join(tempDir(), 'imported');
  const res = await runCli(['import', '--id', ID, '--out', out], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
  expect(res.code).toBe(0);
  expect(res.stderr).toMatch(/: writes liveStream\.rtmpUrl as Webex holds it; it carries the stream key, so whoever can read the repository can stream to it/);
  // The warning names the field, never the key.
  expect(res.stderr).not.toContain('LIVEKEY999');
});

test('with --defaults, a stream key every series shares is written to defaults.yaml, and the warning names that file', async () => {
  const series = (id: string, title: string): SeedMeeting => ({ id, title, timezone: 'UTC', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z', enabledLiveStream: true, liveStream: stream(LIVE_KEY) });
  emu = await startEmulator({ seed: { now: '2027-01-15T09:00:00Z', meetings: [series(ID, 'Launch A'), series('d5000000000000000000000000000002', 'Launch B')] }, now: '2027-01-15T09:00:00Z' });
  const out = join(tempDir(), 'imported');
  const res = await runCli(['import', '--all', '--defaults', '--out', out], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
  expect(res.code).toBe(0);
  expect(readFileSync(join(out, 'defaults.yaml'), 'utf8')).toContain('LIVEKEY999');
  const warned = res.stderr.split('\n').filter((l) => l.includes('carries the stream key'));
  expect(warned).toEqual([expect.stringContaining('defaults.yaml: writes liveStream.rtmpUrl as Webex holds it')]);
});
