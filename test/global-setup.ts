import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** CLI tests run the built `bin/meetctl.js`; build once so they never test a stale dist/. */
export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (err) {
    // tsc still emits on type errors; the type check itself is `npm run typecheck`'s job.
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
    process.stderr.write(`global-setup: tsc reported errors (dist was still emitted):\n${out.slice(0, 2000)}\n`);
  }
}
