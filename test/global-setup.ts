import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['cli', 'core', 'meetings', 'emulator', 'bench'];
const INPUTS = ['schemas', 'tsconfig.json', 'tsconfig.build.json', 'node_modules/typescript/package.json'];
// Inside dist/, so that removing dist/ also forgets what was built into it.
const BUILD_INFO = join(ROOT, 'dist', '.test-build.tsbuildinfo');

function* files(path: string): Generator<string> {
  if (!statSync(path).isDirectory()) return yield path;
  for (const entry of readdirSync(path)) yield* files(join(path, entry));
}

const mtime = (path: string) => statSync(path).mtimeMs;

/**
 * Whether dist/ was built by this setup from the sources as they are (make's rule: no input newer
 * than the record). An output missing, or newer than the record (another build wrote it, say
 * `npm run build` of other sources), forgets the record: tsc's incremental mode trusts it.
 */
function upToDate(): boolean {
  if (!existsSync(BUILD_INFO)) return false;
  const built = mtime(BUILD_INFO);
  let fresh = true;
  for (const dir of SOURCES) {
    for (const src of files(join(ROOT, dir))) {
      if (!src.endsWith('.ts') || src.endsWith('.d.ts')) continue;
      const out = join(ROOT, 'dist', relative(ROOT, src).replace(/\.ts$/, '.js'));
      if (!existsSync(out) || mtime(out) > built) {
        rmSync(BUILD_INFO);
        return false;
      }
      fresh &&= mtime(src) <= built;
    }
  }
  return fresh && INPUTS.every((input) => [...files(join(ROOT, input))].every((f) => mtime(f) <= built));
}

/**
 * CLI tests run the built `bin/meetctl.js`; build before the tests so they never test a stale
 * dist/. A full build costs about 14 s of one core before any test starts, so nothing is built
 * when no input changed, and only what changed otherwise (tsc --incremental compares contents).
 */
export default function setup(): void {
  if (upToDate()) return;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--incremental', '--tsBuildInfoFile', BUILD_INFO], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // tsc still emits on type errors; the type check itself is `npm run typecheck`'s job.
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
    process.stderr.write(`global-setup: tsc reported errors (dist was still emitted):\n${out.slice(0, 2000)}\n`);
    if (typeof (err as { status?: unknown }).status !== 'number') throw err;
  }
  // tsc leaves the record as it was when no content changed: date it, so the next run skips tsc.
  const now = new Date();
  if (existsSync(BUILD_INFO)) utimesSync(BUILD_INFO, now, now);
}
