/**
 * Rehearsal against a copy of production: `import --snapshot` of an emulator standing in for
 * Webex, a second emulator started from the snapshot with `meetctl emulator --seed`, and the
 * same plan against both; then the apply rehearsed against the copy.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type SeedFile } from '../../emulator/index.js';
import seedSchema from '../../schemas/seed.schema.json' with { type: 'json' };
import { EXAMPLES, ROOT, runCli, runShellScript, startEmulatorProcess, tempDir, writeTree } from '../support/cli.js';

const A = 'e1000000000000000000000000000001';
const B = 'e1000000000000000000000000000002';
const C = 'e1000000000000000000000000000003';
const GONE = 'e1000000000000000000000000000009';
const MODIFIED = `${A}_20270309T080000Z`;
/** After the spring-forward: a series laid out in UTC instead of Berlin time would miss it. */
const SUMMER = `${A}_20270406T070000Z`;
const ENDED = `${A}_20270302T080000Z`;
const DELETED = `${A}_20270413T070000Z`;
const SECRETS = ['Alpha-Secret-1', 'Occ-Secret-9', 'Bravo-Secret-2', 'Panel-Secret-3', 'STREAMKEY123'];

const PRODUCTION: SeedFile = {
  now: '2027-01-15T09:00:00Z',
  trackingCodes: [{ name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Sales', defaultValue: true }, { value: 'Ops' }] }],
  meetings: [
    {
      id: A,
      title: 'Team Sync',
      timezone: 'Europe/Berlin',
      start: '2027-03-02T09:00:00+01:00',
      end: '2027-03-02T09:30:00+01:00',
      recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=10',
      password: 'Alpha-Secret-1',
      agenda: 'Weekly.',
      occurrences: [
        { id: MODIFIED, title: 'Team Sync (moved)', start: '2027-03-09T10:00:00+01:00', end: '2027-03-09T10:45:00+01:00', password: 'Occ-Secret-9', agenda: null },
        { id: ENDED, state: 'ended' },
      ],
    },
    {
      id: B,
      title: 'Launch',
      hostEmail: 'bob@example.com',
      scheduledType: 'webinar',
      timezone: 'America/New_York',
      start: '2027-04-20T11:00:00-04:00',
      end: '2027-04-20T12:30:00-04:00',
      password: 'Bravo-Secret-2',
      panelistPassword: 'Panel-Secret-3',
      enabledLiveStream: true,
      liveStream: { destination: 'youtube', rtmpUrl: 'rtmp://a.rtmp.youtube.com/live2/STREAMKEY123', streamUrl: 'https://youtu.be/launch' },
    },
    { id: C, title: 'Board', timezone: 'Asia/Tokyo', start: '2027-05-14T16:00:00+09:00', end: '2027-05-14T18:00:00+09:00', trackingCodes: [{ name: 'Department', value: 'Ops' }] },
  ],
};

/** The tree under review: a change on each series, secrets by reference, overrides in winter and summer. */
const TREE: Record<string, string> = {
  'team.yaml': [
    `id: ${A}`,
    'title: Team Sync (weekly)',
    'timezone: Europe/Berlin',
    'password: ${env:PW_A}',
    'occurrences:',
    `  - id: ${MODIFIED}`,
    '    title: Team Sync (moved again)',
    `  - id: ${SUMMER}`,
    '    title: Team Sync (summer)',
    `  - id: ${ENDED}`,
    '    title: Too late',
    `  - id: ${DELETED}`,
    '    title: Deleted in Webex',
    '',
  ].join('\n'),
  'launch.yaml': `id: ${B}\nhostEmail: bob@example.com\ntimezone: America/New_York\npassword: \${env:PW_B}\nagenda: Launch day.\n`,
  'board.yaml': `id: ${C}\ntimezone: Asia/Tokyo\ntrackingCodes:\n  - { name: Department, value: Sales }\n`,
  'gone.yaml': `id: ${GONE}\ntitle: Never created\n`,
};

const running: Emulator[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function production(): Promise<Emulator> {
  const e = await startEmulator({ seed: structuredClone(PRODUCTION) });
  running.push(e);
  e.deleteMeeting(DELETED);
  return e;
}

/** `meetctl emulator --seed FILE`, as a user starts it; resolves with its base URL. */
async function emulatorFromSeed(seed: string, env: Record<string, string>): Promise<string> {
  const { child, ready } = startEmulatorProcess(['--port', '0', '--seed', seed], env);
  children.push(child);
  return (await ready).lines[0];
}

const webex = (baseUrl: string, extra: Record<string, string> = {}) => ({ WEBEX_BASE_URL: baseUrl, WEBEX_ACCESS_TOKEN: 'emulator-admin-token', ...extra });
const planOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { changes: unknown[]; baseUrl: string };

describe('import --snapshot and emulator --seed: a rehearsal against a copy of production', () => {
  test('the copy gives the same plan as production, holds no secret, carries the clock, and the apply rehearses', async () => {
    const prod = await production();
    const tree = writeTree(tempDir('meetctl-rehearsal-'), TREE);
    const work = tempDir('meetctl-rehearsal-out-');
    // PW_A is production's password (no change); PW_B is a new one (a change).
    const prodEnv = { PW_A: 'Alpha-Secret-1', PW_B: 'New-Bravo-4' };

    const plan1 = await runCli(['plan', '--dir', tree, '--out', join(work, 'prod.json'), '--detailed-exitcode'], webex(prod.baseUrl, prodEnv));
    expect(plan1.code, plan1.stderr).toBe(1);

    const snapFile = join(work, 'snapshot.json');
    const snap = await runCli(['import', '--snapshot', snapFile, '--dir', tree], webex(prod.baseUrl, prodEnv));
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stdout).toBe(`${snapFile}\n`);
    expect(snap.stderr).toContain(`gone.yaml: meeting series ${GONE} not found (404)`);
    expect(snap.stderr).toMatch(/snapshot of 3 meeting series .*secrets: 1 kept as \$\{env:\} references .*, 4 replaced by a placeholder/);
    expect(statSync(snapFile).mode & 0o777).toBe(0o600);

    const text = readFileSync(snapFile, 'utf8');
    const seed = JSON.parse(text) as SeedFile & { meetings: Record<string, unknown>[] };
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(seedSchema);
    expect(validate(seed), JSON.stringify(validate.errors)).toBe(true);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    for (const id of [A, B]) {
      const live = prod.getMeeting(id)!;
      for (const key of ['hostKey', 'phoneAndVideoSystemPassword', 'phoneAndVideoSystemPanelistPassword', 'webLink', 'sipAddress', 'meetingNumber']) {
        if (live[key] !== undefined) expect(text).not.toContain(String(live[key]));
      }
    }
    expect(seed.meetings.find((m) => m.id === A)).toMatchObject({ password: '${env:PW_A}', timezone: 'Europe/Berlin' });
    expect(seed.meetings.find((m) => m.id === B)).toMatchObject({ password: 'REDACTED-by-meetctl-snapshot', panelistPassword: 'REDACTED-by-meetctl-snapshot', liveStream: { rtmpUrl: 'rtmp://redacted.invalid/meetctl-snapshot', streamUrl: 'https://youtu.be/launch' } });
    expect(seed.trackingCodes).toEqual([{ name: 'Department', inputMode: 'select', type: 'optional', service: 'MeetingCenter', options: [{ value: 'Sales', defaultValue: true }, { value: 'Ops', defaultValue: false }] }]);
    const taken = Date.parse(seed.now!);
    expect(Math.abs(taken - prod.clock.now().getTime())).toBeLessThan(10 * 60_000);

    // The rehearsal: any value for the variables, the same for the emulator and the plan.
    const rehearsalEnv = { PW_A: 'anything-1', PW_B: 'New-Bravo-4' };
    const copy = await emulatorFromSeed(snapFile, rehearsalEnv);
    const date = (await request(`${copy}/meetings/${A}`, { headers: { authorization: 'Bearer emulator-admin-token' } })).headers.date as string;
    expect(Math.abs(Date.parse(date) - taken)).toBeLessThan(10 * 60_000);

    const plan2 = await runCli(['plan', '--dir', tree, '--out', join(work, 'copy.json'), '--detailed-exitcode'], webex(copy, rehearsalEnv));
    expect(plan2.code, plan2.stderr).toBe(1);
    expect(plan2.stdout).toBe(plan1.stdout);
    // The same changes, down to the fingerprints of the live state; but B's stream key was replaced, so its state differs.
    const withoutB = (changes: unknown[]) => changes.map((c) => ((c as { id: string }).id === B ? { ...(c as object), fingerprint: undefined } : c));
    const prodChanges = planOf(join(work, 'prod.json')).changes;
    expect(withoutB(planOf(join(work, 'copy.json')).changes)).toEqual(withoutB(prodChanges));
    expect(prodChanges.filter((c) => (c as { fingerprint?: string }).fingerprint !== undefined).length).toBeGreaterThan(3);

    const apply = await runCli(['apply', join(work, 'copy.json'), '--auto-approve'], webex(copy, rehearsalEnv));
    // Exit 1: the plan holds errors (a series and a scheduled meeting Webex does not have), as production's does.
    expect(apply.code, apply.stdout + apply.stderr).toBe(1);
    const after = await runCli(['plan', '--dir', tree, '--detailed-exitcode'], webex(copy, rehearsalEnv));
    expect(after.stdout).toMatch(/^meetctl plan — 0 to update, 5 unchanged, 1 not updatable, 2 errors/);
    // Production was not touched.
    expect(prod.getMeeting(A)).toMatchObject({ title: 'Team Sync' });
    expect(prod.getMeeting(B)).toMatchObject({ password: 'Bravo-Secret-2' });
  }, 120_000);

  test('keyed files: the snapshot holds the meeting their ownership tag finds, and the copy plans it unchanged; a key with no meeting yet is said, and plans as a create in both', async () => {
    const prod = await production();
    const keyed = (key: string, title: string) => `key: ${key}\ntitle: ${title}\nstart: 2027-04-01T10:00:00Z\nend: 2027-04-01T10:30:00Z\n`;
    const made = writeTree(tempDir('meetctl-rehearsal-'), { 'retro.yaml': keyed('retro', 'Retro') });
    expect((await runCli(['apply', '--dir', made, '--auto-approve'], webex(prod.baseUrl))).code).toBe(0);
    const tree = writeTree(tempDir('meetctl-rehearsal-'), { 'retro.yaml': keyed('retro', 'Retro'), 'later.yaml': keyed('later', 'Later') });
    const work = tempDir('meetctl-rehearsal-out-');
    const snapFile = join(work, 'snapshot.json');
    const snap = await runCli(['import', '--snapshot', snapFile, '--dir', tree], webex(prod.baseUrl));
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stderr).toContain('later.yaml: no meeting carries meetctl:later yet');
    const seed = JSON.parse(readFileSync(snapFile, 'utf8')) as { meetings: Record<string, unknown>[] };
    expect(seed.meetings.map((m) => m.title)).toEqual(['Retro']);
    const copy = await emulatorFromSeed(snapFile, {});
    const onProd = await runCli(['plan', '--dir', tree, '--format', 'json'], webex(prod.baseUrl));
    const onCopy = await runCli(['plan', '--dir', tree, '--format', 'json'], webex(copy));
    const actions = (out: string) => (JSON.parse(out) as { changes: { action: string; key?: string }[] }).changes.map((c) => `${c.action} ${c.key}`).sort();
    expect(actions(onCopy.stdout)).toEqual(['create later', 'noop retro']);
    expect(actions(onCopy.stdout)).toEqual(actions(onProd.stdout));
  }, 60_000);

  test('a modified scheduled meeting of a series without a rule is copied as modified: the list of modified ones says so (a read of the meeting itself has no isModified)', async () => {
    const SINGLE = 'e1000000000000000000000000000031';
    const ITS = `${SINGLE}_20270420T080000Z`;
    const prod = await startEmulator({
      seed: {
        now: '2027-01-15T09:00:00Z',
        meetings: [
          {
            id: SINGLE,
            title: 'Single',
            timezone: 'UTC',
            start: '2027-04-20T08:00:00Z',
            end: '2027-04-20T09:00:00Z',
            occurrences: [{ id: ITS, title: 'Single (its own title)', agenda: 'Its own agenda.' }],
          },
        ],
      },
    });
    running.push(prod);
    const tree = writeTree(tempDir('meetctl-rehearsal-'), {
      'single.yaml': `id: ${SINGLE}\ntitle: Single\noccurrences:\n  - id: ${ITS}\n    title: Single (its own title)\n    agenda: Its own agenda.\n`,
    });
    const snapFile = join(tempDir('meetctl-rehearsal-out-'), 'snapshot.json');
    const snap = await runCli(['import', '--snapshot', snapFile, '--dir', tree], webex(prod.baseUrl));
    expect(snap.code, snap.stderr).toBe(0);
    const copy = await emulatorFromSeed(snapFile, {});
    const actions = (out: string) => (JSON.parse(out) as { changes: { action: string; id: string }[] }).changes.map((c) => `${c.action} ${c.id}`);
    const onProd = await runCli(['plan', '--dir', tree, '--format', 'json'], webex(prod.baseUrl));
    const onCopy = await runCli(['plan', '--dir', tree, '--format', 'json'], webex(copy));
    expect(actions(onProd.stdout)).toEqual([`noop ${SINGLE}`, `noop ${ITS}`]);
    expect(actions(onCopy.stdout)).toEqual(actions(onProd.stdout));
  }, 60_000);

  test("a secret only the scheduled meetings' files declare, the same as the series', is kept by reference, so the copy plans as production does", async () => {
    const SERIES = 'e1000000000000000000000000000041';
    const MOVED = `${SERIES}_20270309T080000Z`;
    const PLAIN = `${SERIES}_20270316T080000Z`;
    const prod = await startEmulator({
      seed: {
        now: '2027-01-15T09:00:00Z',
        meetings: [
          {
            id: SERIES,
            title: 'Weekly',
            timezone: 'UTC',
            start: '2027-03-02T08:00:00Z',
            end: '2027-03-02T08:30:00Z',
            recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=5',
            password: 'Shared-Secret-7',
            occurrences: [{ id: MOVED, title: 'Weekly (moved title)' }],
          },
        ],
      },
    });
    running.push(prod);
    const tree = writeTree(tempDir('meetctl-rehearsal-'), {
      'weekly.yaml': [
        `id: ${SERIES}`,
        'title: Weekly',
        'occurrences:',
        `  - id: ${MOVED}`,
        '    title: Weekly (moved title)',
        '    password: ${env:OCC_PW}',
        `  - id: ${PLAIN}`,
        '    password: ${env:OCC_PW}',
        '',
      ].join('\n'),
    });
    const env = { OCC_PW: 'Shared-Secret-7' };
    const snapFile = join(tempDir('meetctl-rehearsal-out-'), 'snapshot.json');
    const snap = await runCli(['import', '--snapshot', snapFile, '--dir', tree], webex(prod.baseUrl, env));
    expect(snap.code, snap.stderr).toBe(0);
    expect(readFileSync(snapFile, 'utf8')).not.toContain('Shared-Secret-7');
    const copy = await emulatorFromSeed(snapFile, env);
    const actions = (out: string) => (JSON.parse(out) as { changes: { action: string; id: string }[] }).changes.map((c) => `${c.action} ${c.id}`);
    const onProd = await runCli(['plan', '--dir', tree, '--format', 'json'], webex(prod.baseUrl, env));
    const onCopy = await runCli(['plan', '--dir', tree, '--format', 'json'], webex(copy, env));
    expect(actions(onProd.stdout)).toEqual([`noop ${SERIES}`, `noop ${MOVED}`, `noop ${PLAIN}`]);
    expect(actions(onCopy.stdout)).toEqual(actions(onProd.stdout));
  }, 60_000);

  test("each host's own tracking-code default is kept as that host's user-level code, so the copy plans as production does", async () => {
    const [X, Y] = ['e1000000000000000000000000000021', 'e1000000000000000000000000000022'];
    const slot = { start: '2027-02-10T14:00:00Z', end: '2027-02-10T15:00:00Z', timezone: 'UTC' };
    const prod = await startEmulator({
      seed: {
        now: '2027-01-15T09:00:00Z',
        trackingCodes: [{ name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Sales', defaultValue: true }, { value: 'Ops' }] }],
        userTrackingCodes: [{ email: 'bob@example.com', name: 'Department', value: 'Ops' }],
        // As Webex stored them after a write of no codes: each got its host's default.
        meetings: [
          { id: X, title: 'X', ...slot, trackingCodes: [{ name: 'Department', value: 'Sales' }] },
          { id: Y, title: 'Y', hostEmail: 'bob@example.com', ...slot, trackingCodes: [{ name: 'Department', value: 'Ops' }] },
        ],
      },
    });
    running.push(prod);
    const tree = writeTree(tempDir('meetctl-rehearsal-'), {
      'x.yaml': `id: ${X}\nhostEmail: host@example.com\ntrackingCodes: []\n`,
      'y.yaml': `id: ${Y}\nhostEmail: bob@example.com\ntrackingCodes: []\n`,
    });
    const snapFile = join(tempDir('meetctl-rehearsal-out-'), 'snapshot.json');
    const snap = await runCli(['import', '--snapshot', snapFile, '--dir', tree], webex(prod.baseUrl));
    expect(snap.code, snap.stderr).toBe(0);
    const seed = JSON.parse(readFileSync(snapFile, 'utf8')) as SeedFile;
    expect(seed.userTrackingCodes).toEqual([{ email: 'bob@example.com', name: 'Department', value: 'Ops' }]);
    const copy = await startEmulator({ seed });
    running.push(copy);
    for (const target of [prod, copy]) {
      const plan = await runCli(['plan', '--dir', tree, '--detailed-exitcode'], webex(target.baseUrl));
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    }
  }, 60_000);

  test('an invalid tree writes nothing; --snapshot refuses the selection flags and an existing file without --force', async () => {
    const prod = await production();
    const work = tempDir('meetctl-rehearsal-out-');
    const snapFile = join(work, 'snapshot.json');
    const bad = writeTree(tempDir('meetctl-rehearsal-bad-'), { 'a.yaml': `id: ${A}\ntitel: typo\n` });
    const invalid = await runCli(['import', '--snapshot', snapFile, '--dir', bad], webex(prod.baseUrl));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/a\.yaml.*titel/);
    expect(invalid.stderr).toContain('no snapshot was written');
    expect(existsSync(snapFile)).toBe(false);

    const tree = writeTree(tempDir('meetctl-rehearsal-'), { 'board.yaml': `id: ${C}\n` });
    const mixed = await runCli(['import', '--snapshot', snapFile, '--dir', tree, '--all'], webex(prod.baseUrl));
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('--all does not apply');
    // --defaults shapes import's files: a snapshot writes none, so it is refused, not ignored.
    const shaped = await runCli(['import', '--snapshot', snapFile, '--dir', tree, '--defaults'], webex(prod.baseUrl));
    expect(shaped.code).toBe(1);
    expect(shaped.stderr).toContain('--defaults does not apply');

    writeFileSync(snapFile, '{}');
    const exists = await runCli(['import', '--snapshot', snapFile, '--dir', tree], webex(prod.baseUrl));
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('already exists (use --force to overwrite it)');
    expect(readFileSync(snapFile, 'utf8')).toBe('{}');
    const forced = await runCli(['import', '--snapshot', snapFile, '--dir', tree, '--force'], webex(prod.baseUrl));
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(snapFile, 'utf8')).meetings).toHaveLength(1);
  }, 60_000);
});

describe('examples/ci/try-locally.sh with a snapshot and MEETINGS_DIR', () => {
  test("rehearses a user's own tree against the snapshot's emulator", async () => {
    const prod = await startEmulator();
    running.push(prod);
    const tree = join(tempDir('meetctl-try-tree-'), 'meetings');
    cpSync(EXAMPLES, tree, { recursive: true });
    // Production already runs the example files (unlike the built-in seed): a rehearsal of them has nothing to change.
    const env = webex(prod.baseUrl, { SALES_SYNC_PASSWORD: 'Prod-Sales-1' });
    const planFile = join(tempDir('meetctl-try-plan-'), 'plan.json');
    expect((await runCli(['plan', '--dir', tree, '--out', planFile], env)).code).toBe(0);
    expect((await runCli(['apply', planFile, '--auto-approve'], env)).code).toBe(0);
    const snapFile = join(tempDir('meetctl-try-snap-'), 'prod.json');
    const snap = await runCli(['import', '--snapshot', snapFile, '--dir', tree], env);
    expect(snap.code, snap.stderr).toBe(0);
    const res = await runShellScript(join(ROOT, 'examples', 'ci', 'try-locally.sh'), {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      MEETINGS_DIR: tree,
      SNAPSHOT: snapFile,
    });
    if (res.code !== 0) console.error(res.out.slice(-3000));
    expect(res.code).toBe(0);
    expect(res.out).toContain(`emulator seeded with the snapshot ${snapFile}`);
    expect(res.out).toMatch(/plan: exit 0 \(no changes\)/);
    expect(res.out).toMatch(/plan after apply: exit 0/);
    expect(res.out).toMatch(/apply of the reviewed plan: exit 1, the Sales series is stale/);
    expect(res.out).toMatch(/drift: exit 2/);
    expect(res.out).toMatch(/All three flows behaved as they do in CI \(rehearsed against the snapshot /);
    expect(res.out).not.toContain('emulator-admin-token');
  }, 120_000);
});
