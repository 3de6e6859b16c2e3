/**
 * Named hostile inputs: each is refused with a diagnostic (no throw, no hang, no request), or,
 * where it is legal data, printed harmlessly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { MAX_FILE_BYTES } from '../../core/load.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createWebexClient } from '../../meetings/client.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { runCli, tempDir, writeTree } from '../support/cli.js';
import { loadAndCheck, prototypeSnapshot } from '../property/support.js';

const SALES = '1d824a4a205042eba9574e00b711b226';
const HEAD = `id: ${SALES}\ntitle: Weekly Sales Sync\n`;
/** Characters that must never reach a terminal or a PR comment raw (newline aside, which structures the output). */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const errorsOf = (r: Awaited<ReturnType<typeof loadAndCheck>>) => r.diagnostics.filter((d) => d.severity === 'error');

describe('resource exhaustion', () => {
  test('alias bomb ("billion laughs"): refused as an alias bomb, nothing expanded', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = await loadAndCheck({ 'bomb.yaml': `${HEAD}agenda: x\nmeetingOptions:\n  ${levels.join('\n  ')}\n` });
    expect(errorsOf(r).map((d) => d.code)).toContain('load.aliasBomb');
    expect(r.meetings).toEqual([]);
  });

  test.each([
    ['flow sequences', `${HEAD}meetingOptions: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['flow mappings', `${HEAD}meetingOptions: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
    ['block sequences', `${HEAD}integrationTags:\n  ${'- '.repeat(10_000)}x\n`],
  ])('deep nesting (10,000 levels of %s): an error, never a crash', async (_kind, text) => {
    const r = await loadAndCheck({ 'deep.yaml': text });
    expect(errorsOf(r).length).toBeGreaterThan(0);
    expect(r.meetings).toEqual([]);
  });

  test('deep nesting through the CLI: validate exits 1 with a diagnostic, no stack trace', async () => {
    const dir = writeTree(tempDir(), { 'deep.yaml': `${HEAD}meetingOptions: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` });
    const res = await runCli(['validate', '--dir', dir], {});
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/deep\.yaml:3:\d+: /);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  test('a 1 MB title: refused by length, and the diagnostic does not echo the megabyte', async () => {
    const title = 'x'.repeat(MAX_FILE_BYTES - HEAD.length - 100);
    const r = await loadAndCheck({ 'long.yaml': `id: ${SALES}\ntitle: ${title}\n` });
    const [d] = errorsOf(r);
    expect(d).toMatchObject({ field: 'title', line: 2 });
    expect(formatDiagnostic(d).length).toBeLessThan(500);
  });

  test('a file over 1 MB is refused before it is parsed', async () => {
    const r = await loadAndCheck({ 'huge.yaml': `${HEAD}agenda: ${'y'.repeat(MAX_FILE_BYTES)}\n` });
    expect(errorsOf(r).map((d) => d.code)).toEqual(['load.tooLarge']);
  });
});

describe('prototype pollution', () => {
  const cases: Record<string, Record<string, string>> = {
    'top-level __proto__': { 'm.yaml': `${HEAD}__proto__: { polluted: yes }\n` },
    'quoted "__proto__"': { 'm.yaml': `${HEAD}"__proto__": { polluted: yes }\n` },
    'top-level constructor.prototype': { 'm.yaml': `${HEAD}constructor: { prototype: { polluted: yes } }\n` },
    'top-level prototype': { 'm.yaml': `${HEAD}prototype: { polluted: yes }\n` },
    'nested in meetingOptions': { 'm.yaml': `${HEAD}meetingOptions:\n  __proto__:\n    polluted: yes\n` },
    'nested in an occurrence': { 'm.yaml': `${HEAD}occurrences:\n  - id: ${SALES}_20270316T080000Z\n    constructor: { prototype: { polluted: yes } }\n` },
    'in a defaults file': { 'defaults.yaml': `__proto__: { polluted: yes }\nmeetingOptions: { constructor: { prototype: { polluted: yes } } }\n`, 'm.yaml': HEAD },
    'behind an alias': { 'm.yaml': `${HEAD}agenda: &p { polluted: yes }\nmeetingOptions: { __proto__: *p }\n` },
  };
  test.each(Object.entries(cases))('%s: refused with the key named; Object.prototype untouched', async (_name, files) => {
    const before = prototypeSnapshot();
    const r = await loadAndCheck(files);
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const forbidden = errorsOf(r).filter((d) => d.code === 'load.forbiddenKey');
    expect(forbidden.length).toBeGreaterThan(0);
    expect(forbidden[0].message).toMatch(/'(__proto__|constructor|prototype)' is not allowed/);
    expect(r.meetings).toEqual([]);
  });
});

describe('ids with path or URL characters', () => {
  test.each(['../x', '..%2F..%2Fadmin', 'a%2Fb', 'a?b=1', 'a#b', 'a/b', './a', 'a b', 'a\\b'])('series id %j: a validation error naming id', async (id) => {
    const r = await loadAndCheck({ 'm.yaml': `id: ${JSON.stringify(id)}\ntitle: x\n` });
    const [d] = errorsOf(r);
    expect(d).toMatchObject({ field: 'id' });
    expect(d.message).toMatch(/meeting series id/);
    expect(r.meetings).toEqual([]);
  });

  test.each([`${SALES}_../x`, `${SALES}/../x_20270316T080000Z`, `${SALES}_20270316T080000Z?x`, `${SALES}_20270316T080000Z#x`])('occurrence id %j: a validation error', async (occ) => {
    const r = await loadAndCheck({ 'm.yaml': `${HEAD}occurrences:\n  - id: ${JSON.stringify(occ)}\n    title: y\n` });
    expect(errorsOf(r).map((d) => d.field)).toContain('occurrences[0].id');
  });

  test('--target with such an id names no file: exit 1, no request', async () => {
    emu = await startEmulator({});
    const dir = writeTree(tempDir(), { 'm.yaml': HEAD });
    const res = await runCli(['plan', '--dir', dir, '--target', '../../x'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--target names meetings no file declares: \.\.\/\.\.\/x/);
    expect(emu.requestLog()).toEqual([]);
  });

  test('ids that reach the client are one URL-encoded path segment in every request (GET and PATCH)', async () => {
    emu = await startEmulator({});
    const client = createWebexClient({ baseUrl: emu.baseUrl, token: emu.adminToken, maxRetries: 0 });
    const ids = ['../../v1/meetings', 'a/b', 'a%2Fb', 'a?max=1', 'a#frag', '..', '.', 'x y', 'ü/…', '%', `${SALES}/../${SALES}`];
    try {
      for (const id of ids) {
        const got = await client.getMeeting(id);
        const patched = await client.patchMeeting(id, { title: 'x' });
        // The server decoded exactly the id that was sent, and found no such meeting.
        for (const r of [got, patched]) expect(r.ok ? 'ok' : r.error.message).toBe(`Meeting ${id} was not found.`);
      }
    } finally {
      await client.close();
    }
    const paths = emu.requestLog().map((r) => r.path);
    // The GET carries the client's own query (current=false) after the segment; the PATCH none.
    expect(paths).toEqual(ids.flatMap((id) => [`/v1/meetings/${encodeURIComponent(id)}?current=false`, `/v1/meetings/${encodeURIComponent(id)}`]));
    for (const p of paths) expect(p.slice('/v1/meetings/'.length).replace(/\?current=false$/, '')).not.toMatch(/[/?#]/);
    expect(emu.getMeeting(SALES)?.title).toBe('Sales Sync');
  });
});

describe('control characters and bidi overrides in titles', () => {
  const HOSTILE = 'Q1\u202e review\u001b[2J\u001b]0;pwned\u0007\r\nmeetctl plan — 0 to update\u2028\u2066x\u2069\u0000';
  const yamlHostile = JSON.stringify(HOSTILE);

  test('plan (text, markdown), apply and drift reports escape them, from the file and from the server', async () => {
    emu = await startEmulator({});
    emu.editMeeting('9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c', { title: `Board\u001b[31m\u202eweiveR` });
    const dir = writeTree(tempDir(), {
      'sales.yaml': `id: ${SALES}\nhostEmail: sales.lead@example.com\ntitle: ${yamlHostile}\n`,
      'board.yaml': `id: 9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c\nhostEmail: ceo.office@example.com\ntitle: Board Review\n`,
    });
    const env = { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken };
    const outputs: string[] = [];
    for (const args of [
      ['plan', '--dir', dir],
      ['plan', '--dir', dir, '--format', 'markdown'],
      ['drift', '--dir', dir],
      ['drift', '--dir', dir, '--format', 'markdown'],
      ['apply', '--dir', dir, '--auto-approve', '--format', 'markdown'],
    ]) {
      const res = await runCli(args, env);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      outputs.push(res.stdout, res.stderr);
    }
    emu.editMeeting(SALES, { title: 'Sales Sync' });
    const text = await runCli(['apply', '--dir', dir, '--auto-approve'], env);
    expect(text.code).toBe(0);
    outputs.push(text.stdout, text.stderr);
    // The hostile title really went through: the server stored it as written.
    expect(emu.getMeeting(SALES)?.title).toBe(HOSTILE);
    for (const out of outputs) {
      expect(out).not.toMatch(RAW_UNSAFE);
      expect(out).not.toMatch(/^meetctl plan — 0 to update/m);
    }
    expect(outputs.join('\n')).toContain('\\u202e');
  });

  test('JSON output keeps the title exactly (JSON escapes the controls)', async () => {
    emu = await startEmulator({});
    const dir = writeTree(tempDir(), { 'sales.yaml': `id: ${SALES}\nhostEmail: sales.lead@example.com\ntitle: ${yamlHostile}\n` });
    const res = await runCli(['plan', '--dir', dir, '--format', 'json'], { WEBEX_BASE_URL: emu.baseUrl, WEBEX_ACCESS_TOKEN: emu.adminToken });
    expect(JSON.parse(res.stdout).changes[0].patch.title).toBe(HOSTILE);
    expect(res.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  test('hostile file names cannot forge validate output lines', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x\nforged.yaml:1:1: all good \u001b[32m\u202e.yaml'), 'id: [\n');
    const { diagnostics } = await loadDesiredState(dir);
    const res = await runCli(['validate', '--dir', dir], {});
    expect(res.code).toBe(1);
    expect(res.stdout.trimEnd().split('\n')).toHaveLength(diagnostics.length);
    expect(res.stdout).not.toMatch(RAW_UNSAFE);
    expect(res.stdout).not.toMatch(/^forged\.yaml/m);
  });
});
