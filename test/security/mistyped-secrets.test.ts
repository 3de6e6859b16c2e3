/**
 * A literal password that starts with `*` or `!` is read by YAML as an alias or a tag: the file
 * is refused, and the refusal must not quote the name, which is the password as written.
 */
import { describe, expect, test } from 'vitest';
import { loadDesiredState } from '../../meetings/desired.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';

const SECRETS = ['Wint3r2027', 'Spr1ng2027', 'Aut0mn2027'];

function tree(): string {
  return writeTree(tempDir(), {
    'star.yaml': 'id: abc1\ntitle: x\npassword: *Wint3r2027\n',
    'bang.yaml': 'id: abc2\ntitle: x\npassword: !Spr1ng2027\n',
    'occ.yaml': 'id: abc3\ntitle: x\noccurrences:\n  - id: abc3_20270302T090000Z\n    password: *Aut0mn2027\n',
    'include.yaml': 'id: abc4\ntitle: x\nagenda: !include agenda.md\n',
  });
}

describe('a value YAML reads as an alias or a tag', () => {
  test('is an error at its value, naming the field, and quoting nothing of it, in every format', async () => {
    const dir = tree();
    const { diagnostics, meetings } = await loadDesiredState(dir);
    expect(meetings).toEqual([]);
    expect(diagnostics.map((d) => [d.file?.slice(dir.length + 1), d.line, d.col, d.field, d.severity, d.code]).sort()).toEqual([
      ['bang.yaml', 3, 11, undefined, 'error', 'yaml.TAG_RESOLVE_FAILED'],
      // An unknown tag's bare text would otherwise be planned: the agenda "agenda.md".
      ['include.yaml', 3, 9, undefined, 'error', 'yaml.TAG_RESOLVE_FAILED'],
      ['occ.yaml', 5, 15, 'occurrences[0].password', 'error', 'load.unresolvedAlias'],
      ['star.yaml', 3, 11, 'password', 'error', 'load.unresolvedAlias'],
    ]);
    for (const format of ['text', 'markdown', 'json']) {
      const r = await runCli(['validate', '--dir', dir, '--format', format]);
      expect(r.code).toBe(1);
      for (const secret of SECRETS) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
      expect(r.stdout).toContain('quote the value');
    }
    const annotated = await runCli(['validate', '--dir', dir], { GITHUB_ACTIONS: 'true' });
    expect(annotated.stderr + annotated.stdout).toContain('::error file=');
    for (const secret of SECRETS) expect(`${annotated.stdout}${annotated.stderr}`).not.toContain(secret);
  });
});
