import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { error, oncePerCause } from '../../core/diagnostics.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { tempDir, writeTree } from '../support/cli.js';

/** `count` meeting files in `folder`, each its own valid series, plus whatever `extra` adds. */
function tree(count: number, folder: string, extra: (i: number) => string, files: Record<string, string>): string {
  const all: Record<string, string> = { ...files };
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    all[`${folder}/m${String(i).padStart(3, '0')}.yaml`] =
      `id: m${i}\ntitle: Meeting ${i}\nstart: 2030-01-${day}T10:00:00Z\nend: 2030-01-${day}T11:00:00Z\n${extra(i)}`;
  }
  return writeTree(tempDir(), all);
}

const errors = async (dir: string) => (await loadDesiredState(dir)).diagnostics.filter((d) => d.severity === 'error');

describe('an error a defaults value causes in many meetings', () => {
  it('is one error at the defaults line, naming a meeting file and how many others', async () => {
    const dir = tree(400, 'sales', () => '', { 'sales/defaults.yaml': 'agenda: Weekly\ntimezone: Mars/Olympus\n' });
    const found = await errors(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: join(dir, 'sales/defaults.yaml'), line: 2, field: 'timezone', code: 'rule.timezone' });
    expect(found[0].message.endsWith(` (in ${join(dir, 'sales/m000.yaml')} and 399 other files)`)).toBe(true);
  });

  it('a defaults value that contradicts each meeting\'s own field: one error, spelling out the meeting line it contradicts', async () => {
    const dir = tree(30, 'team', () => 'enabledJoinBeforeHost: false\n', { 'team/defaults.yaml': 'joinBeforeHostMinutes: 10\n' });
    const found = await errors(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: join(dir, 'team/defaults.yaml'), line: 1, field: 'joinBeforeHostMinutes' });
    // "line 5" printed under defaults.yaml would point at a line of defaults.yaml: the meeting's file is named.
    expect(found[0].message).toContain(`enabledJoinBeforeHost is false (${join(dir, 'team/m000.yaml')}:5)`);
    expect(found[0].message).toMatch(/\(in .*team\/m000\.yaml and 29 other files\)$/);
  });

  it('an error the meeting file itself causes stays on that file, one per file', async () => {
    const dir = tree(3, 'team', (i) => (i < 2 ? 'joinBeforeHostMinutes: 10\n' : ''), { 'team/defaults.yaml': 'enabledJoinBeforeHost: false\n' });
    const found = await errors(dir);
    expect(found.map((d) => [d.file, d.line, d.field])).toEqual([
      [join(dir, 'team/m000.yaml'), 5, 'joinBeforeHostMinutes'],
      [join(dir, 'team/m001.yaml'), 5, 'joinBeforeHostMinutes'],
    ]);
    for (const d of found) expect(d.message).not.toMatch(/\(in /);
  });

  it('nested defaults: each defaults file\'s own error is said once, at its own line', async () => {
    const dir = tree(5, 'a/b', () => '', { 'defaults.yaml': 'timezone: Mars/Olympus\n', 'a/defaults.yaml': 'recurrence: FREQ=SOMETIMES\n' });
    const found = await errors(dir);
    expect(found.map((d) => [d.file, d.field]).sort()).toEqual([
      [join(dir, 'a/defaults.yaml'), 'recurrence'],
      [join(dir, 'defaults.yaml'), 'timezone'],
    ]);
    expect(found).toHaveLength(2);
    for (const d of found) expect(d.message).toMatch(/ and 4 other files\)$/);
  });
});

describe('a defaults value whose finding depends on each meeting', () => {
  it("names each meeting's own fix, never the first meeting's for all", async () => {
    // Mondays, a Wednesday and another Monday under a Tuesday rule: each first meeting is its own.
    const starts = ['2027-03-01T09:00:00', '2027-03-03T15:00:00', '2027-03-08T09:00:00'];
    const files: Record<string, string> = { 'team/defaults.yaml': 'timezone: Europe/Berlin\nrecurrence: FREQ=WEEKLY;BYDAY=TU;COUNT=5\n' };
    starts.forEach((start, i) => (files[`team/m${i}.yaml`] = `id: m${i}\ntitle: Meeting ${i}\nstart: ${start}\nend: ${start.replace('T09', 'T10').replace('T15', 'T16')}\n`));
    const dir = writeTree(tempDir(), files);
    const found = (await loadDesiredState(dir)).diagnostics.filter((d) => d.code === 'rule.startNotOccurrence');
    const fixOf = (d: { message: string }) => /write start: (\S+)/.exec(d.message)?.[1];
    const byFile = Object.fromEntries(found.map((d) => [/\(in .*team\/(m\d)\.yaml/.exec(d.message)?.[1], [fixOf(d), d.message.match(/and (\d+) other/)?.[1] ?? '0']]));
    // Three starts, three first meetings: each file is told its own.
    expect(byFile).toEqual({ m0: ['2027-03-02T09:00:00', '0'], m1: ['2027-03-09T15:00:00', '0'], m2: ['2027-03-09T09:00:00', '0'] });
  });
});

describe('oncePerCause', () => {
  it('keeps apart findings at one place whose messages differ, except by the document named in them', () => {
    const at = (message: string) => error('rule.x', message, { file: 'defaults.yaml', line: 1, col: 3, field: 'f' });
    const merged = oncePerCause([
      { diagnostic: at('write 1'), in: 'a.yaml' },
      { diagnostic: at('write 2'), in: 'b.yaml' },
      { diagnostic: at('see c.yaml:4'), in: 'c.yaml' },
      { diagnostic: at('see d.yaml:4'), in: 'd.yaml' },
    ]);
    expect(merged.map((d) => d.message)).toEqual(['write 1 (in a.yaml)', 'write 2 (in b.yaml)', 'see c.yaml:4 (in c.yaml and 1 other file)']);
  });

  it('merges the same finding at the same place, naming each document once, in order', () => {
    const at = (line: number) => error('rule.x', 'bad value', { file: 'defaults.yaml', line, col: 3, field: 'f' });
    const merged = oncePerCause([
      { diagnostic: at(1), in: 'a.yaml' },
      { diagnostic: at(1), in: 'b.yaml' },
      { diagnostic: at(1), in: 'b.yaml' },
      { diagnostic: at(2), in: 'c.yaml' },
    ]);
    expect(merged.map((d) => [d.line, d.message])).toEqual([
      [1, 'bad value (in a.yaml and 1 other file)'],
      [2, 'bad value (in c.yaml)'],
    ]);
  });
});
