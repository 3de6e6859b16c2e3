#!/usr/bin/env node
// `npm run demo`: start the built-in Webex emulator on a free port, plan and apply examples/meetings,
// then show that a second plan is empty. The emulator's clock is pinned, so the dated examples never go stale.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startEmulator } = await import(join(root, 'dist/emulator/index.js'));

const emulator = await startEmulator({ port: 0, now: '2027-01-15T09:00:00Z' });
const env = {
  ...process.env,
  WEBEX_BASE_URL: emulator.baseUrl,
  WEBEX_ACCESS_TOKEN: emulator.adminToken,
  // The example series reads its password from the environment; a demo value stands in.
  SALES_SYNC_PASSWORD: process.env.SALES_SYNC_PASSWORD ?? 'Demo-Passw0rd!',
};

function meetctl(title, args) {
  process.stdout.write(`\n\x1b[1m$ meetctl ${args.join(' ')}\x1b[0m   # ${title}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/meetctl.js'), ...args], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

let ok = false;
try {
  process.stdout.write(`Webex emulator listening on ${emulator.baseUrl} (clock pinned at 2027-01-15T09:00:00Z)\n`);
  const dir = 'examples/meetings';
  const first = await meetctl('what would change', ['plan', '--dir', dir, '--detailed-exitcode']);
  const applied = await meetctl('apply it', ['apply', '--dir', dir, '--auto-approve']);
  const second = await meetctl('plan again: nothing left to do', ['plan', '--dir', dir, '--detailed-exitcode']);
  ok = first === 2 && applied === 0 && second === 0;
  process.stdout.write(ok ? '\nDemo complete: the second plan is empty.\n' : `\nDemo failed (exit codes: plan ${first}, apply ${applied}, second plan ${second}).\n`);
} finally {
  await emulator.close();
}
process.exit(ok ? 0 : 1);
