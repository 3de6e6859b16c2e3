/**
 * Progress in CI logs: without a terminal, plan, apply and import print a plain progress line on
 * stderr once per interval (MEETCTL_PROGRESS_INTERVAL_MS, shortened here), and none for a run
 * shorter than one interval; stdout is the same byte for byte either way. The emulator's latency
 * makes each run outlast the short interval, and its rate limit makes it wait out 429s.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { generateSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const SERIES = 14;
const SHORT = { MEETCTL_PROGRESS_INTERVAL_MS: '100' };
/** Longer than any run: the run ends within the first interval. */
const LONG = { MEETCTL_PROGRESS_INTERVAL_MS: '2000000000' };

const emus: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emus.splice(0).map((e) => e.close()));
});

/** The latency is a floor under each phase's length; the rate limit makes the run wait out 429s. */
async function start(rateLimit: number, series = SERIES): Promise<Emulator> {
  const emu = await startEmulator({ seed: generateSeed({ series }), now: NOW, rateLimit, latencyMs: rateLimit > 0 ? 100 : 0 });
  emus.push(emu);
  return emu;
}

function envFor(e: Emulator, knob: Record<string, string>) {
  return { WEBEX_BASE_URL: e.baseUrl, WEBEX_ACCESS_TOKEN: e.adminToken, ...knob };
}

/** Desired files for every series: the live title plus a suffix, so each one needs one PATCH. */
function retitleAll(e: Emulator): string {
  const files: Record<string, string> = {};
  for (const id of e.listSeriesIds()) files[`${id}.yaml`] = `id: ${id}\ntitle: ${JSON.stringify(`${String(e.getMeeting(id)?.title ?? id)} (v2)`)}\n`;
  return writeTree(tempDir(), files);
}

interface Line {
  done: number;
  failed: number;
  /** Undefined while the total is not known yet (import, before the listing answered). */
  remaining?: number;
  pauses: number;
}

const LINE = /^(planning|applying|importing): (\d+) done, (\d+) failed, (?:(\d+) remaining|total not known yet) · \d+\.\d\/s · (\d+) pauses? after 429$/;

/** The progress lines of one label, parsed; any line that starts like one must parse. */
function progressLines(stderr: string, label: string): Line[] {
  const lines = stderr.split('\n').filter((l) => l.startsWith(`${label}:`));
  return lines.map((l) => {
    const m = LINE.exec(l);
    expect(m, l).not.toBeNull();
    return { done: Number(m![2]), failed: Number(m![3]), remaining: m![4] === undefined ? undefined : Number(m![4]), pauses: Number(m![5]) };
  });
}

const refused = (e: Emulator) => e.requestLog().filter((r) => r.status === 429).length;

describe('progress without a terminal', () => {
  test('plan: lines on stderr while it runs, the last one at 0 remaining with the 429 pauses; stdout unchanged', async () => {
    const emu = await start(6);
    const dir = retitleAll(emu);
    const res = await runCli(['plan', '--dir', dir, '--fetch', 'get'], envFor(emu, SHORT));
    expect(res.code).toBe(0);
    expect(refused(emu)).toBeGreaterThan(0); // the rate limit really made it wait

    const lines = progressLines(res.stderr, 'planning');
    expect(lines.length).toBeGreaterThanOrEqual(2); // at least one interval's line, then the final one
    expect(lines.at(-1)).toEqual({ done: SERIES, failed: 0, remaining: 0, pauses: refused(emu) });
    for (const l of lines) expect(l.done + (l.remaining ?? NaN)).toBe(SERIES);
    expect(res.stderr).not.toContain('\r');
    expect(res.stdout).not.toMatch(/planning:/);

    // The same plan within one interval: no progress line, and the same stdout to the byte.
    emu.configure({ rateLimit: 0 });
    const quiet = await runCli(['plan', '--dir', dir, '--fetch', 'get'], envFor(emu, LONG));
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/planning:/);
    expect(quiet.stdout).toBe(res.stdout);
  });

  test("plan of id: and key: files: the counts add up from the first line to the last (a keyed file's series is found in a list, not read)", async () => {
    const emu = await start(6);
    const dir = retitleAll(emu);
    for (let i = 0; i < 4; i++) writeTree(dir, { [`new-${i}.yaml`]: `key: new-${i}\ntitle: New ${i}\nstart: 2027-06-0${i + 1}T10:00:00Z\nend: 2027-06-0${i + 1}T10:30:00Z\n` });
    // Two requests in all (the check and one list page, which holds every series) start while the
    // files are validated: slow enough that they outlast a few intervals once progress starts.
    emu.configure({ latencyMs: 600 });
    const res = await runCli(['plan', '--dir', dir], envFor(emu, SHORT));
    expect(res.code).toBe(0);
    const lines = progressLines(res.stderr, 'planning');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l.done + (l.remaining ?? NaN)).toBe(SERIES);
    expect(lines.at(-1)).toMatchObject({ done: SERIES, remaining: 0 });
  });

  test('apply: planning then applying lines; the pauses of both add up to the 429s; stdout unchanged', async () => {
    const emu = await start(6);
    const twin = await start(0);
    const dir = retitleAll(emu);
    const args = ['apply', '--dir', dir, '--auto-approve', '--force', '--fetch', 'get'];
    const res = await runCli(args, envFor(emu, SHORT));
    expect(res.code).toBe(0);
    expect(refused(emu)).toBeGreaterThan(0);

    const planning = progressLines(res.stderr, 'planning');
    const applying = progressLines(res.stderr, 'applying');
    expect(planning.length).toBeGreaterThanOrEqual(2);
    expect(applying.length).toBeGreaterThanOrEqual(2);
    expect(applying.at(-1)).toMatchObject({ done: SERIES, failed: 0, remaining: 0 });
    // Each phase counts its own waits: none is lost or counted twice.
    expect(planning.at(-1)!.pauses + applying.at(-1)!.pauses).toBe(refused(emu));
    expect(res.stderr).not.toContain('\r');
    expect(res.stdout).not.toMatch(/planning:|applying:/);

    // The same apply on a twin server, within one interval: no progress line, the same stdout.
    const quiet = await runCli(args, envFor(twin, LONG));
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/planning:|applying:/);
    expect(quiet.stdout).toBe(res.stdout);
  });

  test('import: lines on stderr, the last one at 0 remaining with the 429 pauses; stdout unchanged', async () => {
    const series = 40; // 10 of them recurring: a read each after the listing
    const emu = await start(3, series);
    const twin = await start(0, series);
    const out = tempDir();
    const res = await runCli(['import', '--all', '--out', out], envFor(emu, SHORT));
    expect(res.code).toBe(0);
    expect(refused(emu)).toBeGreaterThan(0);

    const lines = progressLines(res.stderr, 'importing');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toEqual({ done: series, failed: 0, remaining: 0, pauses: refused(emu) });
    expect(res.stderr).not.toContain('\r');
    expect(res.stdout).not.toMatch(/importing:/);

    const quietOut = tempDir();
    const quiet = await runCli(['import', '--all', '--out', quietOut], envFor(twin, LONG));
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/importing:/);
    expect(quiet.stdout.split(quietOut).join(out)).toBe(res.stdout);
  });

  test('a wrong interval is refused before any request', async () => {
    const emu = await start(0);
    const res = await runCli(['plan', '--dir', retitleAll(emu)], envFor(emu, { MEETCTL_PROGRESS_INTERVAL_MS: '10s' }));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/MEETCTL_PROGRESS_INTERVAL_MS must be a whole number of milliseconds .*not 10s/);
    expect(emu.requestLog()).toEqual([]);
  });
});
