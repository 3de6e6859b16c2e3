/**
 * One invalid file per rule. Each corpus file says what it expects in its first line:
 *   # expect: LINE:COL [field=FIELD] | MESSAGE FRAGMENT
 * and must produce exactly one error, at that position, with that field and message.
 * A `warn-*.yaml` file says `# expect warning: …` instead: it must produce no error, and a warning
 * there with that field and message (the file stays valid: validate exits 0 and plan goes ahead).
 * An `ok-*.yaml` file says `# expect: clean`: it must produce no diagnostic at all.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../meetings/desired.js';
import { tempDir } from '../support/cli.js';

const CORPUS = join(import.meta.dirname, 'corpus');
const HEADER = /^# expect( warning)?: (\d+):(\d+)(?: field=(\S+))? \| (.+)$/;

interface Expectation {
  warning: boolean;
  line: number;
  col: number;
  field?: string;
  fragment: string;
}

function expectationOf(name: string): Expectation {
  const first = readFileSync(join(CORPUS, name), 'utf8').split('\n')[0];
  const m = HEADER.exec(first);
  if (!m) throw new Error(`${name}: first line must be '# expect[ warning]: LINE:COL [field=F] | fragment'`);
  return { warning: m[1] !== undefined, line: Number(m[2]), col: Number(m[3]), field: m[4], fragment: m[5] };
}

const all = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
const files = all.filter((f) => !f.startsWith('warn-') && !f.startsWith('ok-'));
const warningFiles = all.filter((f) => f.startsWith('warn-'));
const cleanFiles = all.filter((f) => f.startsWith('ok-'));

describe('invalid corpus', () => {
  it('holds at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s', async (name) => {
    const want = expectationOf(name);
    expect(want.warning, 'an error case says # expect:').toBe(false);
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

describe('valid files that validate warns about', () => {
  it('holds the recurrence caps Webex applies', () => {
    expect(warningFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(warningFiles)('%s', async (name) => {
    const want = expectationOf(name);
    expect(want.warning, 'a warn- case says # expect warning:').toBe(true);
    const dir = tempDir('meetctl-corpus-');
    copyFileSync(join(CORPUS, name), join(dir, name));
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.filter((d) => d.severity === 'error'), JSON.stringify(diagnostics, null, 1)).toEqual([]);
    const matching = diagnostics.filter((d) => d.severity === 'warning' && d.message.includes(want.fragment));
    expect(matching, JSON.stringify(diagnostics, null, 1)).toHaveLength(1);
    const [w] = matching;
    expect({ file: w.file, line: w.line, col: w.col, field: w.field }).toEqual({ file: join(dir, name), line: want.line, col: want.col, field: want.field });
    expect(meetings.map((m) => m.id)).toEqual(['abc123']);
  });
});

describe('valid files that validate passes clean', () => {
  it('holds the lifecycle forms (key, adopt, at:, cancelled)', () => {
    expect(cleanFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cleanFiles)('%s', async (name) => {
    const first = readFileSync(join(CORPUS, name), 'utf8').split('\n')[0];
    expect(first, 'an ok- case says # expect: clean').toBe('# expect: clean');
    const dir = tempDir('meetctl-corpus-');
    copyFileSync(join(CORPUS, name), join(dir, name));
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics, JSON.stringify(diagnostics, null, 1)).toEqual([]);
    expect(meetings.map((m) => m.file)).toEqual([join(dir, name)]);
  });
});
