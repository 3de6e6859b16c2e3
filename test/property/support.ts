/** Generators of hostile desired-state files, and the invariants every loaded result must keep. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { MEETING_FIELDS } from '../../meetings/catalogue.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { EXAMPLES } from '../support/cli.js';

/** Generous: a hang detector, not a timing goal (timing goals live in bench/). */
export const CASE_TIMEOUT_MS = 10_000;

export const EXAMPLE_FILES: Record<string, string> = {
  'defaults.yaml': readFileSync(join(EXAMPLES, 'defaults.yaml'), 'utf8'),
  'sales/defaults.yaml': readFileSync(join(EXAMPLES, 'sales/defaults.yaml'), 'utf8'),
  'sales/weekly-sales-sync.yaml': readFileSync(join(EXAMPLES, 'sales/weekly-sales-sync.yaml'), 'utf8'),
  'webinars/product-launch.yaml': readFileSync(join(EXAMPLES, 'webinars/product-launch.yaml'), 'utf8'),
  'leadership/board-review.yaml': readFileSync(join(EXAMPLES, 'leadership/board-review.yaml'), 'utf8'),
};

const root = mkdtempSync(join(tmpdir(), 'meetctl-property-'));
let counter = 0;

/** A fresh directory holding `files`. */
export function writeCase(files: Record<string, string>): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${CASE_TIMEOUT_MS} ms (a hang?)`)), CASE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const UNSAFE_OUTPUT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/**
 * loadDesiredState on `files`: it must resolve (never throw, never hang), report each problem as
 * a one-line diagnostic naming a file of the tree, hand over no meeting from a file with an
 * error, and leave Object.prototype alone.
 */
export async function loadAndCheck(files: Record<string, string>) {
  const before = prototypeSnapshot();
  const dir = writeCase(files);
  const result = await bounded(loadDesiredState(dir), 'loadDesiredState');
  expect(prototypeSnapshot()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  for (const d of result.diagnostics) {
    expect(typeof d.code).toBe('string');
    expect(typeof d.message).toBe('string');
    expect(d.file === undefined || d.file.startsWith(dir)).toBe(true);
    const line = formatDiagnostic(d);
    expect(line).not.toMatch(UNSAFE_OUTPUT);
  }
  const badFiles = new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  for (const m of result.meetings) expect(badFiles.has(m.file)).toBe(false);
  return { dir, ...result };
}

const FIELD_NAMES = MEETING_FIELDS.map((f) => f.name);
const NESTED_NAMES = MEETING_FIELDS.flatMap((f) => (f.members ?? []).map((m) => m.name));
const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'meetingNumber', 'webLink', 'state', 'sendEmail', '',
  'ti\u001b[31mtle', 'x\u202ey', 'line\nbreak: 1:1: forged', '\u0000', 'tit\u2028le',
];

export const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES, 'id', 'occurrences', 'hostEmail') },
  { weight: 1, arbitrary: fc.constantFrom(...NESTED_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

const scalarArb = fc.oneof(
  fc.constantFrom(
    '1d824a4a205042eba9574e00b711b226',
    '../../etc/passwd',
    'a%2Fb',
    'a?b#c',
    '2027-03-02T09:00:00+01:00',
    '2027-03-02T09:30:00',
    'Europe/Berlin',
    'Not/AZone',
    'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
    'FREQ=DAILY;UNTIL=21000101T000000Z',
    '${env:SOME_PASSWORD}',
    'literal-password',
    '\u202etitle\u001b[31m',
    'allowJoinWithLobby',
  ),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -5, max: 200 }),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: false }),
);

export const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 4 }).map((pairs) => ({ __pairs: pairs })),
  ),
})).value;

/** YAML text of a mapping, written pair by pair (so duplicate and `__proto__` keys survive), values as JSON flow. */
export function mappingText(pairs: [string, unknown][], indent = ''): string {
  return pairs.map(([k, v]) => `${indent}${JSON.stringify(k)}: ${flow(v)}\n`).join('');
}

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object' && '__pairs' in value) {
    const pairs = (value as { __pairs: [string, unknown][] }).__pairs;
    return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${flow(v)}`).join(', ')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  return JSON.stringify(value);
}

export const mappingArb = fc.array(fc.tuple(keyArb, valueArb), { minLength: 0, maxLength: 10 });

export type Mutation =
  | { op: 'deleteLine'; at: number }
  | { op: 'swapChars'; at: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'insert'; at: number; text: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swapChars' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('\t', ':', '- ', '&a ', '*a', '{', ']', '"', '\n  ', '\u0000', '\ufeff')) }),
);

export function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const lines = out.split('\n');
    const line = m.at % Math.max(1, lines.length);
    switch (m.op) {
      case 'deleteLine':
        lines.splice(line, 1);
        out = lines.join('\n');
        break;
      case 'duplicateLine':
        lines.splice(line, 0, lines[line] ?? '');
        out = lines.join('\n');
        break;
      case 'indent': {
        const current = lines[line] ?? '';
        lines[line] = m.by >= 0 ? ' '.repeat(m.by) + current : current.replace(new RegExp(`^ {0,${-m.by}}`), '');
        out = lines.join('\n');
        break;
      }
      case 'swapChars': {
        if (out.length < 2) break;
        const i = m.at % (out.length - 1);
        out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
        break;
      }
      case 'insert': {
        const i = m.at % (out.length + 1);
        out = out.slice(0, i) + m.text + out.slice(i);
        break;
      }
    }
  }
  return out;
}
