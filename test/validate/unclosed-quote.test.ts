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

describe('an unclosed [ or { is reported where it opens, once, not where the parser gave up', () => {
  const comments = '# a comment\n'.repeat(20);
  const LIST = 'this [ is not closed: end the list with ] (a list on several lines indents them past its key)';
  const MAP = 'this { is not closed: end the mapping with } (a mapping on several lines indents them past its key)';
  test.each([
    ['a flow sequence, comments after it', `${ID}integrationTags: [A, B\n${comments}title: x\n`, [`a.yaml:2:18: ${LIST} (integrationTags)`]],
    ['a flow mapping, whose comments also trip the parser inside it', `${ID}meetingOptions: {enabledChat: false\n${comments}title: x\n`, [`a.yaml:2:17: ${MAP} (meetingOptions)`]],
    ['a nested key names its whole path', `${ID}meetingOptions:\n  # chat\n  enabledChat: [true\ntitle: x\n`, [`a.yaml:4:16: ${LIST} (meetingOptions.enabledChat)`]],
    ['a mapping closed by ] inside a list: no key of its own, no field', `${ID}trackingCodes: [{name: a, value: b]\n`, [`a.yaml:2:17: ${MAP}`]],
    ['under a list item: no field', `${ID}occurrences:\n  - id: x\n    agenda: [a\n`, [`a.yaml:4:13: ${LIST}`]],
    [
      'an unclosed quote inside is the cause, reported first',
      `${ID}integrationTags: ["A, B]\ntitle: x\n`,
      ['a.yaml:2:19: Missing closing "quote', 'a.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
  ])('%s', async (_name, text, expected) => {
    const dir = writeTree(tempDir(), { 'a.yaml': text });
    const run = await runCli(['validate', '--dir', dir]);
    expect(run.code).toBe(1);
    const lines = (run.stdout + run.stderr).split('\n').map((l) => l.replace(`${dir}/`, ''));
    expect(lines.filter((l) => l.startsWith('a.yaml:'))).toEqual(expected);
  });
});
