import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadTree, mergeDeep, resolveDefaults, MAX_FILE_BYTES } from '../../core/load.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { tempDir, writeTree } from '../support/cli.js';

const errorsOf = <T extends { severity: string }>(list: T[]) => list.filter((d) => d.severity === 'error');

describe('loadTree: finding files', () => {
  it('finds .yaml and .yml sorted, skips dot entries and node_modules, tells defaults apart', async () => {
    const dir = writeTree(tempDir(), {
      'b.yml': 'id: b\n',
      'a.yaml': 'id: a\n',
      'notes.txt': 'not yaml',
      '.hidden/x.yaml': 'id: x\n',
      '.dot.yaml': 'id: dot\n',
      'node_modules/pkg/y.yaml': 'id: y\n',
      'team/_defaults.yml': 'title: T\n',
      'team/c.yaml': 'id: c\n',
    });
    const { files, diagnostics } = await loadTree(dir);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => [f.relPath, f.kind])).toEqual([
      ['a.yaml', 'document'],
      ['b.yml', 'document'],
      ['team/_defaults.yml', 'defaults'],
      ['team/c.yaml', 'document'],
    ]);
    expect(files[0].file).toBe(join(dir, 'a.yaml'));
  });

  it('does not follow a symbolic link out of the directory, follows one inside it', async () => {
    const outside = writeTree(tempDir(), { 'secret.yaml': 'id: outside\n' });
    const dir = writeTree(tempDir(), { 'real/a.yaml': 'id: a\n' });
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'link-out.yaml'));
    symlinkSync(outside, join(dir, 'dir-out'));
    symlinkSync(join(dir, 'real'), join(dir, 'inner'));
    const { files, diagnostics } = await loadTree(dir);
    expect(files.map((f) => f.relPath)).toEqual(['inner/a.yaml', 'real/a.yaml']);
    expect(diagnostics.map((d) => [d.severity, d.file, d.message])).toEqual([
      ['warning', join(dir, 'dir-out'), `skipped: symbolic link points outside ${dir}`],
      ['warning', join(dir, 'link-out.yaml'), `skipped: symbolic link points outside ${dir}`],
    ]);
  });

  it('a missing directory or a file instead of a directory is an error', async () => {
    const dir = tempDir();
    expect((await loadTree(join(dir, 'nope'))).diagnostics[0]).toMatchObject({ code: 'load.noDirectory', severity: 'error' });
    writeFileSync(join(dir, 'f.yaml'), 'id: a\n');
    expect((await loadTree(join(dir, 'f.yaml'))).diagnostics[0]).toMatchObject({ code: 'load.notDirectory' });
  });

  it('two defaults files in one folder are an error on both', async () => {
    const dir = writeTree(tempDir(), { 'defaults.yaml': 'title: A\n', '_defaults.yaml': 'title: B\n' });
    const { diagnostics } = await loadTree(dir);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['load.duplicateDefaults', join(dir, '_defaults.yaml')],
      ['load.duplicateDefaults', join(dir, 'defaults.yaml')],
    ]);
  });
});

describe('loadTree: bytes and encodings', () => {
  it('refuses a 10 MB file before parsing it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.yaml'), `id: abc\nagenda: "${'x'.repeat(10 * 1024 * 1024)}"\n`);
    writeFileSync(join(dir, 'ok.yaml'), 'id: ok\n');
    const { files, diagnostics } = await loadTree(dir);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'load.tooLarge', file: join(dir, 'huge.yaml'), line: 1, col: 1 });
    expect(diagnostics[0].message).toContain(`over ${MAX_FILE_BYTES} bytes (1 MB) are refused`);
    expect(files.map((f) => f.relPath)).toEqual(['ok.yaml']);
  });

  it('refuses bytes that are not UTF-8, with the position of the first bad byte', async () => {
    const dir = tempDir();
    const bytes = Buffer.concat([Buffer.from('id: abc123\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from(' latin-1\n')]);
    writeFileSync(join(dir, 'latin1.yaml'), bytes);
    const { files, diagnostics } = await loadTree(dir);
    expect(files).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'load.encoding', severity: 'error', file: join(dir, 'latin1.yaml'), line: 2, col: 11 }),
    ]);
    expect(diagnostics[0].message).toContain('not valid UTF-8');
  });

  it('a UTF-8 BOM is an error; the rest of the file is still checked, with the right positions', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id: abc123\ntitel: x\n')]));
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => [d.severity, d.code, d.line, d.col, d.field])).toEqual([
      ['error', 'load.bom', 1, 1, undefined],
      ['error', 'schema.unknownField', 2, 1, 'titel'],
    ]);
  });

  it('a BOM-only or whitespace-only file is empty', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blank.yaml'), '   \n\n');
    writeFileSync(join(dir, 'zero.yaml'), '');
    const { diagnostics } = await loadTree(dir);
    expect(errorsOf(diagnostics).map((d) => d.message)).toEqual(['file is empty', 'file is empty']);
  });

  it('keys that could reach Object.prototype are refused, and nothing is polluted', async () => {
    const dir = writeTree(tempDir(), { 'p.yaml': 'id: a\nmeetingOptions:\n  constructor: {prototype: {polluted: true}}\n' });
    const { files, diagnostics } = await loadTree(dir);
    expect(files).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ code: 'load.forbiddenKey', line: 3, col: 3, field: 'meetingOptions.constructor' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('keys that are not names', () => {
  it('a null, list, mapping or alias key is refused at its own line, with the field that holds it, and the parser prints nothing', async () => {
    const warned = vi.spyOn(process, 'emitWarning');
    try {
      const dir = writeTree(tempDir(), {
        'null.yaml': 'id: a\ntitle: t\nnull: z\n',
        'empty.yaml': 'id: a\n: z\n',
        'seq.yaml': 'id: a\n[a, b]: x\n',
        'map.yaml': 'id: a\nmeetingOptions:\n  {a: 1}: x\n',
        'occ.yaml': 'id: a\noccurrences:\n  - id: a_20270302T080000Z\n    ~: x\n',
        'alias.yaml': 'id: a\ntitle: &t Secr3t\n*t : x\n',
      });
      const { files, diagnostics } = await loadTree(dir);
      expect(files).toEqual([]);
      expect(diagnostics.map((d) => [d.file!.slice(dir.length + 1), d.code, d.line, d.col, d.field, d.message])).toEqual([
        ['alias.yaml', 'load.keyNotName', 3, 1, undefined, 'a key must be a field name, not an alias'],
        ['empty.yaml', 'load.keyNotName', 2, 1, undefined, 'a key must be a field name, and this one is null (empty, ~ or null)'],
        ['map.yaml', 'load.keyNotName', 3, 3, 'meetingOptions', 'a key must be a field name, not a mapping'],
        ['null.yaml', 'load.keyNotName', 3, 1, undefined, 'a key must be a field name, and this one is null (empty, ~ or null)'],
        ['occ.yaml', 'load.keyNotName', 4, 5, 'occurrences[0]', 'a key must be a field name, and this one is null (empty, ~ or null)'],
        ['seq.yaml', 'load.keyNotName', 2, 1, undefined, 'a key must be a field name, not a list'],
      ]);
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  it('a merge key is refused with a pointer to defaults files, under YAML 1.2 and 1.1 alike', async () => {
    const body = 'id: a\nshared: &chat\n  enabledChat: false\nmeetingOptions:\n  <<: *chat\n';
    const dir = writeTree(tempDir(), { 'a.yaml': body, 'b.yaml': `%YAML 1.1\n---\n${body}` });
    const { files, diagnostics } = await loadTree(dir);
    expect(files).toEqual([]);
    const message = 'merge keys (<<) are not supported: settings that several files share go in a defaults.yaml in their folder';
    expect(diagnostics.map((d) => [d.file!.slice(dir.length + 1), d.code, d.line, d.col, d.field, d.message])).toEqual([
      ['a.yaml', 'load.mergeKey', 5, 3, 'meetingOptions', message],
      ['b.yaml', 'load.mergeKey', 7, 3, 'meetingOptions', message],
    ]);
  });

  it('keys the data spells otherwise (true, 1) are kept and found', async () => {
    const dir = writeTree(tempDir(), { 'k.yaml': 'id: a\n1: x\ntrue: y\n' });
    const [f] = (await loadTree(dir)).files;
    expect(f.data).toEqual({ id: 'a', 1: 'x', true: 'y' });
    expect(f.locate(['true'], 'key')).toEqual({ line: 3, col: 1 });
  });
});

describe('locate', () => {
  it('points at keys, values, list items and, for a missing key, the mapping', async () => {
    const dir = writeTree(tempDir(), {
      'm.yaml': '# comment\nid: abc\nmeetingOptions:\n  enabledChat: true\ntrackingCodes:\n  - name: A\n    value: B\nagenda:\n',
    });
    const [f] = (await loadTree(dir)).files;
    expect(f.locate(['meetingOptions', 'enabledChat'], 'key')).toEqual({ line: 4, col: 3 });
    expect(f.locate(['meetingOptions', 'enabledChat'])).toEqual({ line: 4, col: 16 });
    expect(f.locate(['trackingCodes', 0, 'value'])).toEqual({ line: 7, col: 12 });
    expect(f.locate(['trackingCodes', 0])).toEqual({ line: 6, col: 5 });
    expect(f.locate(['meetingOptions', 'missing'])).toEqual({ line: 4, col: 3 });
    expect(f.locate(['agenda'])).toEqual({ line: 8, col: 1 });
    expect(f.locate([])).toEqual({ line: 2, col: 1 });
  });
});

describe('defaults hierarchy', () => {
  const tree = {
    'defaults.yaml': 'title: Root\nmeetingOptions:\n  enabledChat: true\n  enabledVideo: true\ntrackingCodes:\n  - {name: Org, value: Root}\n  - {name: Cost, value: "1"}\n',
    'team/defaults.yaml': 'meetingOptions:\n  enabledVideo: false\ntrackingCodes:\n  - {name: Org, value: Team}\n',
    'team/sub/m.yaml': 'id: m1\nmeetingOptions:\n  enabledNote: true\n',
    'team/n.yaml': 'id: n1\ntitle: Own\ntrackingCodes: null\n',
    'other/o.yaml': 'id: o1\n',
  };

  it('merges farther first, nearer wins, the document wins; objects merge, arrays replace', async () => {
    const dir = writeTree(tempDir(), tree);
    const docs = resolveDefaults((await loadTree(dir)).files, dir);
    const byId = Object.fromEntries(docs.map((d) => [d.data.id as string, d]));
    expect(byId.m1.data).toEqual({
      id: 'm1',
      title: 'Root',
      meetingOptions: { enabledChat: true, enabledVideo: false, enabledNote: true },
      trackingCodes: [{ name: 'Org', value: 'Team' }],
    });
    expect(byId.m1.defaults).toEqual([join(dir, 'defaults.yaml'), join(dir, 'team/defaults.yaml')]);
    expect(byId.n1.data).toEqual({
      id: 'n1',
      title: 'Own',
      meetingOptions: { enabledChat: true, enabledVideo: false },
      trackingCodes: null,
    });
    expect(byId.o1.data.title).toBe('Root');
    expect(byId.o1.defaults).toEqual([join(dir, 'defaults.yaml')]);
  });

  it('locates a merged field in the file it came from', async () => {
    const dir = writeTree(tempDir(), tree);
    const docs = resolveDefaults((await loadTree(dir)).files, dir);
    const m1 = docs.find((d) => d.data.id === 'm1')!;
    expect(m1.locate(['title'])).toEqual({ file: join(dir, 'defaults.yaml'), line: 1, col: 8 });
    expect(m1.locate(['meetingOptions', 'enabledVideo'])).toEqual({ file: join(dir, 'team/defaults.yaml'), line: 2, col: 17 });
    expect(m1.locate(['meetingOptions', 'enabledChat'], 'key')).toEqual({ file: join(dir, 'defaults.yaml'), line: 3, col: 3 });
    expect(m1.locate(['meetingOptions', 'enabledNote'])).toEqual({ file: join(dir, 'team/sub/m.yaml'), line: 3, col: 16 });
    expect(m1.locate(['trackingCodes', 0, 'value'])).toEqual({ file: join(dir, 'team/defaults.yaml'), line: 4, col: 24 });
    expect(m1.declares(['meetingOptions', 'enabledNote'])).toBe(true);
    expect(m1.declares(['title'])).toBe(false);
  });

  it('mergeDeep never copies a __proto__ key', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const merged = mergeDeep({ b: 2 }, evil) as Record<string, unknown>;
    expect(merged).toEqual({ b: 2, a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('positions', () => {
  it('count lines the way the YAML parser does: CRLF, block and quoted multi-line scalars, comments', async () => {
    const text = [
      '# a comment',
      'id: abc123',
      'agenda: |',
      '  line one',
      '  line two',
      'title: "two',
      '  lines"',
      'meetingOptions:',
      '  enabledChat: true',
      '  colour: red',
      'tittle: x',
    ].join('\r\n');
    const dir = writeTree(tempDir(), { 'a.yaml': `${text}\r\n` });
    const { diagnostics } = await loadDesiredState(dir);
    expect(errorsOf(diagnostics).map((d) => [d.field, d.line, d.col]).sort()).toEqual([
      ['meetingOptions.colour', 10, 3],
      ['tittle', 11, 1],
    ]);
  });

  it('point into a file with a YAML error, a duplicate key or a second document', async () => {
    const dir = writeTree(tempDir(), {
      'dup.yaml': 'id: abc123\ntitle: a\n\ntitle: b\n',
      'two.yaml': 'id: abc123\n---\nid: def456\n',
      'bad.yaml': 'id: abc123\nmeetingOptions:\n  enabledChat: [true\n',
    });
    const { diagnostics } = await loadTree(dir);
    const at = Object.fromEntries(errorsOf(diagnostics).map((d) => [d.file!.split('/').pop()!, [d.line, d.col]]));
    expect(at['dup.yaml']).toEqual([4, 1]);
    expect(at['two.yaml']).toEqual([3, 1]);
    expect(at['bad.yaml']?.[0]).toBeGreaterThanOrEqual(3);
  });
});
