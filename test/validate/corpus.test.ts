/**
 * One invalid file per rule. Each corpus file says what it expects in its first line:
 *   # expect: LINE:COL [field=FIELD] | MESSAGE FRAGMENT
 * and must produce exactly one error, at that position, with that field and message.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../meetings/desired.js';
import { tempDir } from '../support/cli.js';

const CORPUS = join(import.meta.dirname, 'corpus');
const HEADER = /^# expect: (\d+):(\d+)(?: field=(\S+))? \| (.+)$/;

interface Expectation {
  line: number;
  col: number;
  field?: string;
  fragment: string;
}

function expectationOf(name: string): Expectation {
  const first = readFileSync(join(CORPUS, name), 'utf8').split('\n')[0];
  const m = HEADER.exec(first);
  if (!m) throw new Error(`${name}: first line must be '# expect: LINE:COL [field=F] | fragment'`);
  return { line: Number(m[1]), col: Number(m[2]), field: m[3], fragment: m[4] };
}

const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();

describe('invalid corpus', () => {
  it('holds at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s', async (name) => {
    const want = expectationOf(name);
    const dir = tempDir('meetctl-corpus-');
    copyFileSync(join(CORPUS, name), join(dir, name));
    const { meetings, diagnostics } = await loadDesiredState(dir);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors, JSON.stringify(diagnostics, null, 1)).toHaveLength(1);
    const [e] = errors;
    expect(e.message).toContain(want.fragment);
    expect({ file: e.file, line: e.line, col: e.col, field: e.field }).toEqual({
      file: join(dir, name),
      line: want.line,
      col: want.col,
      field: want.field,
    });
    expect(meetings).toEqual([]);
  });
});
