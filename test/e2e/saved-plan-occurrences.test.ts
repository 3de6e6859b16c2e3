/**
 * A saved plan that changes a series and one of its unmodified scheduled meetings: the series
 * change moves that meeting in ways the plan cannot foresee exactly (Webex resets what a switch
 * turned off governs, and adds the site's default tracking codes: PatchMeetingObject's
 * meetingOptions.noteType and trackingCodes), so apply must not call it stale for that.
 */
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const SERIES = 'dddd0000000000000000000000000001';
const OCC = `${SERIES}_20270126T100000Z`;

test('the series turns notes off and an unmodified meeting gets an agenda: the saved plan applies whole', async () => {
  emu = await startEmulator({
    seed: {
      now: '2027-01-15T08:00:00Z',
      meetings: [
        {
          id: SERIES,
          title: 'Weekly D',
          timezone: 'UTC',
          start: '2027-01-19T10:00:00Z',
          end: '2027-01-19T10:30:00Z',
          recurrence: 'FREQ=WEEKLY;INTERVAL=1;COUNT=10',
          meetingOptions: { enabledNote: true, noteType: 'allowOne' },
        },
      ],
    },
    now: '2027-01-15T08:00:00Z',
  });
  const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
  const dir = writeTree(tempDir(), { 'd.yaml': `id: ${SERIES}\nmeetingOptions: { enabledNote: false }\noccurrences:\n  - id: ${OCC}\n    agenda: Q1 review\n` });
  const planFile = join(tempDir(), 'plan.json');
  expect((await runCli(['plan', '--dir', dir, '--out', planFile], env)).code).toBe(0);
  const applied = await runCli(['apply', planFile, '--format', 'json'], env);
  const report = JSON.parse(applied.stdout) as { counts: Record<string, number>; outcomes: { id: string; status: string }[] };
  expect(report.outcomes.map((o) => [o.id, o.status])).toEqual([
    [SERIES, 'applied'],
    [OCC, 'applied'],
  ]);
  expect(applied.code).toBe(0);
  expect(emu.getMeeting(OCC)).toMatchObject({ agenda: 'Q1 review', meetingOptions: { enabledNote: false } });
  expect((await runCli(['plan', '--dir', dir, '--detailed-exitcode'], env)).code).toBe(0);
});
