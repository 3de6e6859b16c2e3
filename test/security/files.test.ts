/**
 * What meetctl writes: `import` files and `plan --out` plans appear whole or not at all, leave no
 * temporary files, never replace what they should not, and never follow a symbolic link out.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { builtinSeed, startEmulator, type Emulator, type SeedMeeting } from '../../emulator/index.js';
import { EXAMPLES, runCli, tempDir } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The built-in meetings as the admin token's own: without hostEmail an admin lists only what it hosts or is invited to. */
const ownSeed = () => ({ ...builtinSeed(), meetings: builtinSeed().meetings!.map((m) => ({ ...m, hostEmail: undefined })) });

const env = (e: Emulator) => ({ WEBEX_BASE_URL: e.baseUrl, WEBEX_ACCESS_TOKEN: e.adminToken, SALES_SYNC_PASSWORD: 'Demo-Passw0rd!' });

/** Every entry below `dir`, as paths relative to it (dot files and temporaries included). */
function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

const leftovers = (names: string[]) => names.filter((n) => /(^|\/)\.|\.tmp/.test(n));

describe('import', () => {
  test('writes every file whole, leaves no temporary file, refuses existing files unless --force', async () => {
    emu = await startEmulator({ seed: ownSeed() });
    const out = tempDir();
    const first = await runCli(['import', '--all', '--out', out], env(emu));
    expect(first.code).toBe(0);
    const files = listAll(out);
    expect(files).toHaveLength(3);
    expect(leftovers(files)).toEqual([]);
    for (const f of files) expect(readFileSync(join(out, f), 'utf8')).toMatch(/^[\s\S]*\nid: [0-9a-f]{32}\n[\s\S]*\n$/);

    // A file of the same meeting, edited by hand: kept without --force, replaced with it.
    const victim = join(out, files[0]);
    const edited = `${readFileSync(victim, 'utf8')}# my own edits\n`;
    writeFileSync(victim, edited);
    // A file of the same name that is not that meeting's: never replaced, even with --force.
    const foreign = join(out, files[1]);
    writeFileSync(foreign, '# notes, not a meeting\n');
    const again = await runCli(['import', '--all', '--out', out], env(emu));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(use --force/);
    expect(readFileSync(victim, 'utf8')).toBe(edited);

    const forced = await runCli(['import', '--all', '--out', out, '--force'], env(emu));
    expect(forced.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).not.toContain('# my own edits');
    expect(readFileSync(foreign, 'utf8')).toBe('# notes, not a meeting\n');
    expect(listAll(out)).toHaveLength(4);
    expect(leftovers(listAll(out))).toEqual([]);
  });

  test('a symbolic link in the target directory is never followed out, even with --force', async () => {
    emu = await startEmulator({ seed: ownSeed() });
    const probe = tempDir();
    await runCli(['import', '--all', '--out', probe], env(emu));
    const names = listAll(probe);

    const out = tempDir();
    // The link has the name import would choose and points at a copy of that very meeting's file.
    const outside = join(tempDir(), 'precious.yaml');
    const precious = readFileSync(join(probe, names[0]), 'utf8');
    writeFileSync(outside, precious);
    symlinkSync(outside, join(out, names[0]));
    // A folder link inside the target that leads elsewhere.
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(out, 'linked-dir'));
    const res = await runCli(['import', '--all', '--out', out, '--force'], env(emu));
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(outside, 'utf8')).toBe(precious);
    expect(lstatSync(join(out, names[0])).isSymbolicLink()).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
    // The meeting was still imported, under a name of its own inside the directory.
    const written = res.stdout.trim().split('\n');
    expect(written).toHaveLength(3);
    for (const w of written) {
      expect(lstatSync(w).isFile()).toBe(true);
      expect(relative(out, w).startsWith('..')).toBe(false);
    }
    expect(leftovers(listAll(out))).toEqual([]);
  });

  test('hostile titles on the server never make a path outside --out, a dot file or a control character', async () => {
    const base = { ...builtinSeed().meetings![2], hostEmail: undefined };
    const titles = ['../../escape', '..', '.hidden', 'a/b/c', '/etc/passwd', 'C:\\Windows\\x', 'evil\u202efdp.yaml', 'nul\u0000byte', 'line\nbreak', '%2e%2e%2fx', '~root'];
    const meetings: SeedMeeting[] = titles.map((title, i) => ({ ...base, id: `${'ab'.repeat(15)}${String(i).padStart(2, '0')}`, title }));
    emu = await startEmulator({ seed: { now: builtinSeed().now, meetings } });
    const parent = tempDir();
    const out = join(parent, 'out');
    mkdirSync(out);
    const res = await runCli(['import', '--all', '--out', out], env(emu));
    expect(res.code).toBe(0);
    expect(listAll(parent)).toEqual(['out', ...listAll(out).map((f) => `out/${f}`)].sort());
    const files = listAll(out);
    expect(files).toHaveLength(titles.length);
    for (const f of files) {
      expect(f).toMatch(/^[a-z0-9][a-z0-9._-]*\.yaml$/);
      expect(relative(out, resolve(out, f)).startsWith('..')).toBe(false);
    }
    // And what was written still plans to nothing: the titles went into the files intact.
    const plan = await runCli(['plan', '--dir', out, '--detailed-exitcode'], env(emu));
    expect(plan.code).toBe(0);
  });
});

describe('plan --out', () => {
  test('overwrites an existing plan (mode 0600), refuses a symlink, leaves no temporary file', async () => {
    emu = await startEmulator({});
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, 'old');
    const res = await runCli(['plan', '--dir', EXAMPLES, '--out', planFile], env(emu));
    expect(res.code).toBe(0);
    expect(JSON.parse(readFileSync(planFile, 'utf8')).formatVersion).toBe(2);
    expect(statSync(planFile).mode & 0o777).toBe(0o600);

    const outside = join(tempDir(), 'target.json');
    writeFileSync(outside, 'untouched');
    const link = join(dir, 'linked.json');
    symlinkSync(outside, link);
    const refused = await runCli(['plan', '--dir', EXAMPLES, '--out', link], env(emu));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('untouched');

    const missingDir = await runCli(['plan', '--dir', EXAMPLES, '--out', join(dir, 'no/such/dir/plan.json')], env(emu));
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).not.toMatch(/\n\s+at /);
    expect(leftovers(listAll(dir))).toEqual([]);
  });

  test('a reader never sees a partial plan while plan --out replaces it', async () => {
    emu = await startEmulator({});
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    const first = await runCli(['plan', '--dir', EXAMPLES, '--out', planFile], env(emu));
    expect(first.code).toBe(0);
    let reads = 0;
    let stop = false;
    const broken: string[] = [];
    const reader = (async () => {
      while (!stop) {
        if (existsSync(planFile)) {
          const text = readFileSync(planFile, 'utf8');
          reads += 1;
          try {
            JSON.parse(text);
          } catch {
            broken.push(text.slice(0, 80));
          }
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 3; i++) expect((await runCli(['plan', '--dir', EXAMPLES, '--out', planFile], env(emu))).code).toBe(0);
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(10);
    expect(broken).toEqual([]);
    expect(leftovers(listAll(dir))).toEqual([]);
  });
});
