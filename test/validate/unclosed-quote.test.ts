import { describe, expect, test } from 'vitest';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const ID = 'id: 1d824a4a205042eba9574e00b711b226\n';

describe('an unclosed quote is reported where it opens, not at the end of the file', () => {
  test.each([
    ['a double quote in a block mapping', `${ID}title: "Weekly Sales\nagenda: fine\nstart: 2027-03-02T09:00:00+01:00\n\n\n`, 'a.yaml:2:8: Missing closing "quote'],
    ['a single quote in a flow sequence', `${ID}agenda: ok\nintegrationTags: [a, 'b\n\n\n`, "a.yaml:3:22: Missing closing 'quote"],
    ['after quotes that do close (escaped and doubled)', `${ID}title: "a \\" b"\nagenda: 'it''s'\nintegrationTags:\n  - 'x\n`, "a.yaml:5:5: Missing closing 'quote"],
  ])('%s', async (_name, text, expected) => {
    const dir = writeTree(tempDir(), { 'a.yaml': text });
    const run = await runCli(['validate', '--dir', dir]);
    expect(run.code).toBe(1);
    expect((run.stdout + run.stderr).split('\n').map((l) => l.replace(`${dir}/`, ''))).toContain(expected);
  });
});
