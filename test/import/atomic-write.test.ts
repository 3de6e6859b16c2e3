import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkRelativePath, writeFileAtomic } from '../../core/atomic-write.js';
import { tempDir } from '../support/cli.js';

describe('writeFileAtomic', () => {
  test('writes the content with exactly the requested mode, whatever the umask', async () => {
    const dir = tempDir();
    const res = await writeFileAtomic(dir, 'a.yaml', 'id: x\n');
    expect(res).toEqual({ ok: true, path: join(dir, 'a.yaml') });
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('id: x\n');
    expect(statSync(join(dir, 'a.yaml')).mode & 0o777).toBe(0o644);
    const secret = await writeFileAtomic(dir, 'b.json', '{}', { mode: 0o600 });
    expect(secret.ok).toBe(true);
    expect(statSync(join(dir, 'b.json')).mode & 0o777).toBe(0o600);
  });

  test('leaves no temporary file behind', async () => {
    const dir = tempDir();
    await writeFileAtomic(dir, 'a.yaml', 'one');
    await writeFileAtomic(dir, 'a.yaml', 'two', { overwrite: true });
    expect(readdirSync(dir)).toEqual(['a.yaml']);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('two');
  });

  test('an existing file is kept unless overwrite is asked for', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), 'mine');
    const res = await writeFileAtomic(dir, 'a.yaml', 'theirs');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('atomicWrite.exists');
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['a.yaml']);
  });

  test('creates sub-folders below the target directory', async () => {
    const dir = tempDir();
    const res = await writeFileAtomic(dir, 'team/a.yaml', 'x');
    expect(res.ok).toBe(true);
    expect(readFileSync(join(dir, 'team', 'a.yaml'), 'utf8')).toBe('x');
  });

  test('refuses to write through a symbolic link, even with overwrite', async () => {
    const dir = tempDir();
    const elsewhere = join(tempDir(), 'victim.txt');
    writeFileSync(elsewhere, 'precious');
    symlinkSync(elsewhere, join(dir, 'a.yaml'));
    const res = await writeFileAtomic(dir, 'a.yaml', 'evil', { overwrite: true });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('atomicWrite.symlink');
    expect(readFileSync(elsewhere, 'utf8')).toBe('precious');
  });

  test('refuses a folder that is a symbolic link leading outside the directory', async () => {
    const dir = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(dir, 'team'));
    const res = await writeFileAtomic(dir, 'team/a.yaml', 'x');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('atomicWrite.outside');
    expect(readdirSync(outside)).toEqual([]);
  });

  test.each(['../a.yaml', '/etc/passwd', 'a/../../b.yaml', '.hidden.yaml', 'team/.git/config', '', 'a//b.yaml'])(
    'refuses the path %j',
    async (name) => {
      const root = tempDir();
      const dir = join(root, 'out');
      mkdirSync(dir);
      const res = await writeFileAtomic(dir, name, 'x');
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('atomicWrite.badPath');
      expect(readdirSync(root)).toEqual(['out']);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  test('refuses to replace a directory', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a.yaml'));
    const res = await writeFileAtomic(dir, 'a.yaml', 'x', { overwrite: true });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('atomicWrite.notAFile');
  });

  test('a missing target directory is an error value, not an exception', async () => {
    const res = await writeFileAtomic(join(tempDir(), 'missing'), 'a.yaml', 'x');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('atomicWrite.io');
  });

  test('checkRelativePath accepts plain nested names', () => {
    expect(checkRelativePath('a.yaml')).toBeUndefined();
    expect(checkRelativePath('sales/weekly-sync.yaml')).toBeUndefined();
  });
});
