/**
 * `npm pack`'s tarball is a working install: packed, installed into an empty folder, and run from
 * there, with nothing of this checkout on the path. The dependencies come from npm's cache, which
 * `npm ci` has just filled (`npm cit`), or from the registry.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; private?: boolean; scripts: Record<string, string> };

let work: string;
let packed: string[];
let bin: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'meetctl-pack-'));
  // --ignore-scripts: the global setup has built dist/ already, and a second build here would
  // rewrite it under the other test files' feet. That packing builds is checked below.
  const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = info.files.map((f) => f.path);
  const app = join(work, 'app');
  cpSync(join(root, 'examples', 'meetings'), join(app, 'meetings'), { recursive: true });
  await run(npm, ['init', '-y'], { cwd: app });
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, info.filename)], { cwd: app });
  bin = join(app, 'node_modules', '.bin', 'meetctl');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  test('can be published and builds when packed', () => {
    expect(manifest.private).toBeUndefined();
    // npm runs `prepare` on pack (and on an install from git): the tarball always holds a fresh build.
    expect(manifest.scripts.prepare).toBe('npm run build');
  });

  test('holds what runs, and no tests, benchmarks or sources', () => {
    expect(packed).toEqual(expect.arrayContaining(['bin/meetctl.js', 'dist/cli/main.js', 'dist/emulator/index.js', 'schemas/meeting.schema.json']));
    expect(packed.filter((p) => /^(test|bench|dist\/bench|dist\/test)\/|\.ts$|\.map$/.test(p))).toEqual([]);
  });

  test('installed into an empty folder: meetctl --version and meetctl validate work', async () => {
    const version = await run(bin, ['--version'], { cwd: dirname(bin) });
    expect(version.stdout.trim()).toBe(manifest.version);
    const validate = await run(bin, ['validate', '--dir', join(work, 'app', 'meetings')], { cwd: join(work, 'app') });
    // execFile rejects on a non-zero exit: reaching here means exit 0.
    expect(validate.stdout + validate.stderr).toMatch(/5 files valid/);
  });

  test('installed: the emulator starts and prints its base URL and token', async () => {
    const child = spawn(bin, ['emulator', '--port', '0'], { cwd: join(work, 'app'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const lines = await new Promise<string[]>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/^token: /m.test(out)) resolve(out.split('\n'));
      });
      child.on('exit', (code) => reject(new Error(`emulator exited with ${String(code)}: ${out}`)));
    });
    child.kill('SIGTERM');
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(lines[1]).toMatch(/^token: \S+/);
  });
});
