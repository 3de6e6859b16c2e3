import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan, PlanFileError, readPlanFile, serializePlan, writePlanFile } from '../../core/saved-plan.js';
import { samplePlan } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meetctl-saved-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function planObject(): Record<string, unknown> {
  return JSON.parse(serializePlan(samplePlan())) as Record<string, unknown>;
}

function edited(mutate: (plan: Record<string, any>) => void): string {
  const plan = planObject();
  mutate(plan);
  return JSON.stringify(plan);
}

describe('serializePlan / parsePlan', () => {
  it('round-trips a plan', () => {
    const plan = samplePlan();
    const text = serializePlan(plan);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "formatVersion": 2,\n');
    expect(parsePlan(text, 'plan.json')).toStrictEqual({ ok: true, plan });
  });

  it('keeps the plan\'s notes, and reads a plan saved without them as having none', () => {
    const plan = samplePlan();
    expect(plan.notes).toHaveLength(1);
    const parsed = parsePlan(serializePlan(plan), 'plan.json');
    expect(parsed.ok && parsed.plan.notes).toEqual(plan.notes);
    const old = parsePlan(edited((p) => delete p.notes), 'plan.json');
    expect(old.ok && old.plan.notes).toEqual([]);
  });

  const refusals: [string, string, string][] = [
    ['not JSON', '{"formatVersion": 1,', 'plan.json: is not valid JSON'],
    ['not an object', '[1,2]', 'plan.json: must hold a JSON object'],
    ['another format version', edited((p) => (p.formatVersion = 1)), 'plan.json: has formatVersion 1; this meetctl reads plan format version 2'],
    ['no format version', edited((p) => delete p.formatVersion), 'plan.json: has no formatVersion; this meetctl reads plan format version 2'],
    ['a bad createdAt', edited((p) => (p.createdAt = 'yesterday')), 'plan.json: createdAt must be an ISO date-time string'],
    ['notes that are not strings', edited((p) => (p.notes = [1])), 'plan.json: notes must be an array of strings'],
    ['no baseUrl', edited((p) => delete p.baseUrl), 'plan.json: baseUrl must be a non-empty string'],
    ['no controls', edited((p) => delete p.controls), 'plan.json: controls must be an object'],
    ['controls that are not an object', edited((p) => (p.controls = [false])), 'plan.json: controls must be an object'],
    ['changes not an array', edited((p) => (p.changes = {})), 'plan.json: changes must be an array'],
    ['a change that is not an object', edited((p) => (p.changes[1] = 'x')), 'plan.json: changes[1] must be an object'],
    ['a change without id', edited((p) => delete p.changes[0].id), 'plan.json: changes[0].id is missing'],
    ['a change without patch', edited((p) => delete p.changes[2].patch), 'plan.json: changes[2].patch is missing'],
    ['a patch that is an array', edited((p) => (p.changes[0].patch = [])), 'plan.json: changes[0].patch must be an object'],
    ['an unknown action', edited((p) => (p.changes[0].action = 'destroy')), 'plan.json: changes[0].action must be one of create, update, delete, noop, notUpdatable, error'],
    ['warnings not strings', edited((p) => (p.changes[0].warnings = [1])), 'plan.json: changes[0].warnings must be an array of strings'],
    ['an order that is not a number', edited((p) => (p.changes[0].order = '1')), 'plan.json: changes[0].order must be a number'],
    ['a bad optional field', edited((p) => (p.changes[0].sensitive = 'password')), 'plan.json: changes[0].sensitive must be an array of strings'],
    [
      'a summary that disagrees with the changes',
      edited((p) => (p.summary.update = 0)),
      'plan.json: summary.update is 0 but the changes count 2: was the file edited?',
    ],
  ];
  for (const [name, text, message] of refusals) {
    it(`refuses ${name}`, () => {
      const parsed = parsePlan(text, 'plan.json');
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message.startsWith(message), parsed.message).toBe(true);
    });
  }

  it('recomputes the summary when the file has none', () => {
    const parsed = parsePlan(edited((p) => delete p.summary), 'plan.json');
    expect(parsed.ok && parsed.plan.summary).toStrictEqual(samplePlan().summary);
  });
});

describe('writePlanFile / readPlanFile', () => {
  it('writes the serialized plan with mode 0600 and leaves no temporary file', async () => {
    const path = join(dir, 'plan.json');
    await writePlanFile(path, samplePlan());
    expect(await readFile(path, 'utf8')).toBe(serializePlan(samplePlan()));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toStrictEqual([]);
    expect(await readPlanFile(path)).toStrictEqual({ ok: true, plan: samplePlan() });
  });

  it('replaces an existing file, which then has mode 0600 too', async () => {
    const path = join(dir, 'existing.json');
    await writeFile(path, 'old', { mode: 0o644 });
    await writePlanFile(path, samplePlan());
    expect(await readFile(path, 'utf8')).toBe(serializePlan(samplePlan()));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('takes any file name the user gives, a dot name too (the naming rules of imported files are not the plan file rules)', async () => {
    const path = join(dir, '.plan.json');
    await writePlanFile(path, samplePlan());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readPlanFile(path)).toStrictEqual({ ok: true, plan: samplePlan() });
  });

  it('refuses to write through a symbolic link, and leaves its target alone', async () => {
    const target = join(dir, 'target.txt');
    const link = join(dir, 'link.json');
    await writeFile(target, 'precious');
    await symlink(target, link);
    const error = await writePlanFile(link, samplePlan()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanFileError);
    expect((error as PlanFileError).code).toBe('planFile.symlink');
    expect((error as PlanFileError).message).toContain('symbolic link');
    expect(await readFile(target, 'utf8')).toBe('precious');
  });

  it('reports a directory that does not exist as an error value with the path', async () => {
    const path = join(dir, 'missing', 'plan.json');
    const error = await writePlanFile(path, samplePlan()).catch((e: unknown) => e);
    expect((error as PlanFileError).code).toBe('planFile.write');
    expect((error as PlanFileError).message).toContain(path);
  });

  it('reads a missing file as a message, not an exception', async () => {
    const path = join(dir, 'nope.json');
    expect(await readPlanFile(path)).toStrictEqual({ ok: false, message: `cannot read the plan file ${path}: no such file` });
  });
});
