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

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
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
