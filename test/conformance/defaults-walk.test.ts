/**
 * The default walk: every parameter of listMeetings, getMeetingById, patchMeeting, createMeeting and
 * deleteMeeting that has a default, whether a schema `default` (webex-parameters.json, copied from the
 * OpenAPI document) or one stated in prose (prose-defaults.json), must be named by an emulator test
 * title, as `paths.<path>.<method>.parameters.<name>`; a request-body field with a prose default
 * (`in: body`) as `paths.<path>.<method>.requestBody.<name>`. A default nobody tests is a default
 * nobody checked.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const EMULATOR_TESTS = join(here, '..', 'emulator');

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: { type?: string; enum?: unknown[]; default?: unknown };
}
interface Operation {
  operationId: string;
  path: string;
  method: string;
  parameters: Parameter[];
}
interface ProseDefault {
  operationId: string;
  name: string;
  in: string;
  default: unknown;
  from: string;
}

const { operations } = JSON.parse(readFileSync(join(here, 'webex-parameters.json'), 'utf8')) as { operations: Operation[] };
const schemas = (JSON.parse(readFileSync(join(here, 'webex-schemas.json'), 'utf8')) as { definitions: Record<string, { properties?: Record<string, unknown> }> }).definitions;
/** The request body schema of each operation that has one (paths.<path>.<method>.requestBody). */
const BODY_SCHEMAS: Record<string, string> = { createMeeting: 'CreateMeetingObject' };
const prose = (JSON.parse(readFileSync(join(here, 'prose-defaults.json'), 'utf8')) as { defaults: ProseDefault[] }).defaults;

/** The spec path a test title must name for a parameter. */
const specPath = (op: Operation, p: Parameter) => `paths.${op.path}.${op.method}.parameters.${p.name}`;

/** Parameters with a default: a schema default, or a row of the prose table; then body fields with a prose default. */
export function parametersWithDefaults(): string[] {
  const out: string[] = [];
  for (const op of operations) {
    for (const p of op.parameters)
      if (p.schema.default !== undefined || prose.some((d) => d.operationId === op.operationId && d.name === p.name && d.in === p.in)) out.push(specPath(op, p));
    for (const d of prose) if (d.operationId === op.operationId && d.in === 'body') out.push(`paths.${op.path}.${op.method}.requestBody.${d.name}`);
  }
  return out;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The literal titles of test(...)/it(...) calls (and their .skip/.only/… forms). */
export function testTitles(source: string): string[] {
  const titles: string[] = [];
  const call = /\b(?:test|it)(?:\.\w+)*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of source.matchAll(call)) titles.push(m[2].replace(/\\(.)/g, '$1'));
  return titles;
}

/** Whether a title names the spec path (not a longer parameter name that starts with it). */
export function names(title: string, path: string): boolean {
  const at = title.indexOf(path);
  if (at < 0) return false;
  const next = title.charAt(at + path.length);
  return !/[A-Za-z0-9_]/.test(next) || names(title.slice(at + path.length), path);
}

describe('the default walk', () => {
  test('every parameter (and request-body field) of listMeetings, getMeetingById, patchMeeting, createMeeting and deleteMeeting with a default is named by an emulator test title', () => {
    const titles = testFiles(EMULATOR_TESTS).flatMap((f) => testTitles(readFileSync(f, 'utf8')));
    const missing = parametersWithDefaults().filter((path) => !titles.some((t) => names(t, path)));
    expect(missing).toEqual([]);
  });

  test('the walk is not vacuous: it covers the schema defaults and the prose table, and the table names real parameters', () => {
    const walked = parametersWithDefaults();
    for (const p of ['current', 'isModified', 'hasChat', 'hasSlido', 'max', 'meetingType', 'from', 'to', 'timezone']) expect(walked).toContain(`paths./meetings.get.parameters.${p}`);
    expect(walked).toContain('paths./meetings/{meetingId}.get.parameters.current');
    expect(walked).toContain('paths./meetings/{meetingId}.get.parameters.timezone');
    expect(walked).toContain('paths./meetings/{meetingId}.delete.parameters.sendEmail');
    for (const p of ['sendEmail', 'scheduledType', 'password', 'visualWatermarkOpacity']) expect(walked).toContain(`paths./meetings.post.requestBody.${p}`);
    for (const d of prose) {
      const op = operations.find((o) => o.operationId === d.operationId);
      const real =
        d.in === 'body'
          ? schemas[BODY_SCHEMAS[d.operationId] ?? '']?.properties?.[d.name] !== undefined
          : op?.parameters.some((p) => p.name === d.name && p.in === d.in);
      expect(op !== undefined && real, `${d.operationId} ${d.in} ${d.name}`).toBe(true);
    }
    expect(operations.map((o) => o.operationId)).toEqual(['listMeetings', 'getMeetingById', 'patchMeeting', 'createMeeting', 'deleteMeeting']);
  });

  test('title matching: the exact parameter, not a longer name that starts with it; escaped quotes are read', () => {
    expect(names('paths./meetings.get.parameters.current: x', 'paths./meetings.get.parameters.current')).toBe(true);
    expect(names('paths./meetings.get.parameters.currently', 'paths./meetings.get.parameters.current')).toBe(false);
    expect(testTitles("test('it\\'s paths./a.get.parameters.b', () => {})")).toEqual(["it's paths./a.get.parameters.b"]);
  });
});
