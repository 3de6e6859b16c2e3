import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const NOW = '2027-01-15T09:00:00Z';
const SERIES = '1d824a4a205042eba9574e00b711b226';
const OCC = `${SERIES}_20270309T080000Z`;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function savedPlan(format: string) {
  emu = await startEmulator({
    now: NOW,
    seed: {
      now: NOW,
      meetings: [
        {
          id: SERIES,
          title: 'Sales Sync',
          timezone: 'Europe/Berlin',
          start: '2027-03-02T09:00:00+01:00',
          end: '2027-03-02T09:30:00+01:00',
          recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
          meetingOptions: { enabledChat: true },
        },
      ],
    },
  });
  const dir = writeTree(tempDir(), {
    'sync.yaml': `id: ${SERIES}\ntitle: Weekly Sales Sync\npassword: \${env:SYNC_PW}\nmeetingOptions: { enabledChat: false }\noccurrences:\n  - id: ${OCC}\n    title: Sales Sync (Q1 review)\n`,
  });
  const out = join(tempDir(), 'plan.json');
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken, SYNC_PW: 'Sync-Secret-771' };
  const planned = await runCli(['plan', '--dir', dir, '--out', out, '--format', format], env);
  expect(planned.code).toBe(0);
  return { out, planned };
}

describe('meetctl show PLANFILE', () => {
  test.each(['text', 'markdown', 'json'])('prints a saved plan as plan printed it (%s), offline', async (format) => {
    const { out, planned } = await savedPlan(format);
    await emu!.close();
    emu = undefined;
    // No server and no token: show reads only the file.
    const shown = await runCli(['show', out, '--format', format], {});
    expect(shown.code).toBe(0);
    expect(planned.stdout).toContain('Weekly Sales Sync');
    expect(shown.stdout).toBe(planned.stdout);
    expect(shown.stdout).not.toContain('Sync-Secret-771');
  });

  test('a missing or damaged plan file is an error naming the file (exit 1)', async () => {
    const dir = tempDir();
    const missing = await runCli(['show', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read the plan file ${join(dir, 'nope.json')}: no such file`);
    const damaged = join(dir, 'plan.json');
    writeFileSync(damaged, '{"formatVersion": 1, "changes": [');
    const bad = await runCli(['show', damaged]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(damaged);
    expect(bad.stdout).toBe('');
    expect(readFileSync(damaged, 'utf8')).toBe('{"formatVersion": 1, "changes": [');
  });
});
