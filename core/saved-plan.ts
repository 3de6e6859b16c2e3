/**
 * Saved plans: the Plan as a JSON file that `apply PLANFILE` reads back. Secrets travel as
 * references (`${env:NAME}`) in `patch`; the file is written atomically with mode 0600.
 */
import { readFile } from 'node:fs/promises';
import { writeNamedFileAtomic } from './atomic-write.js';
import { PLAN_FORMAT_VERSION, summarize, type Change, type ChangeAction, type JsonObject, type JsonValue, type Orphan, type Plan, type PlanSummary } from './plan.js';

export const SENSITIVE_MASK = '(sensitive)';

export type ParsedPlan = { ok: true; plan: Plan } | { ok: false; message: string };

/** A failure to write a plan file, with a stable code for the caller. */
export class PlanFileError extends Error {
  constructor(
    readonly code: 'planFile.symlink' | 'planFile.write',
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/** Pretty JSON with a trailing newline. `before` values of sensitive fields are masked: they are display-only. */
export function serializePlan(plan: Plan): string {
  const changes = plan.changes.map(maskSensitiveBefore);
  return `${JSON.stringify({ ...plan, changes }, null, 2)}\n`;
}

/**
 * `values` with the value at each of `paths` (a top-level name, or `name.member`) masked; a null
 * (a clear) stays null, and so does a value `keep` says may show. A copy: `values` is not changed.
 */
export function maskPaths(values: JsonObject, paths: readonly string[], keep: (path: string, value: JsonValue) => boolean = () => false): JsonObject {
  const out: JsonObject = structuredClone(values);
  for (const path of paths) {
    const [key, member] = path.split('.', 2);
    const holder = member === undefined ? out : out[key];
    const name = member ?? key;
    if (holder === null || typeof holder !== 'object' || Array.isArray(holder) || !(name in holder)) continue;
    if (holder[name] !== null && !keep(path, holder[name])) holder[name] = SENSITIVE_MASK;
  }
  return out;
}

/** The member value the patch sends at `path`, if any. */
function sentAt(change: Change, path: string): JsonValue | undefined {
  const [key, member] = path.split('.', 2);
  const sent = change.patch[key];
  if (member === undefined) return sent;
  return sent !== null && typeof sent === 'object' && !Array.isArray(sent) ? sent[member] : undefined;
}

/**
 * The live values of sensitive fields are masked; a member path's (`liveStream.rtmpUrl`) only where
 * it differs from what the patch sends (which the file holds as it is): so an unchanged member
 * still reads as unchanged, and a value changed in Webex is never written out.
 */
function maskSensitiveBefore(change: Change): Change {
  if (!change.sensitive?.length) return change;
  return { ...change, before: maskPaths(change.before, change.sensitive, (path, value) => path.includes('.') && value === sentAt(change, path)) };
}

const ACTIONS: readonly ChangeAction[] = ['create', 'update', 'delete', 'noop', 'notUpdatable', 'error'];
const SUMMARY_KEYS: readonly (keyof PlanSummary)[] = ['create', 'update', 'delete', 'noop', 'notUpdatable', 'error', 'warnings'];

/** Read a saved plan back, checking its version and shape; every problem is named with where it is. */
export function parsePlan(text: string, file: string): ParsedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return fail(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(data)) return fail(file, 'must hold a JSON object (a plan saved by `meetctl plan --out`)');
  if (data.formatVersion !== PLAN_FORMAT_VERSION) {
    const found = data.formatVersion === undefined ? 'no formatVersion' : `formatVersion ${JSON.stringify(data.formatVersion)}`;
    return fail(file, `has ${found}; this meetctl reads plan format version ${PLAN_FORMAT_VERSION}: run meetctl plan again`);
  }
  if (typeof data.createdAt !== 'string' || Number.isNaN(Date.parse(data.createdAt))) return fail(file, 'createdAt must be an ISO date-time string');
  if (typeof data.baseUrl !== 'string' || data.baseUrl === '') return fail(file, 'baseUrl must be a non-empty string');
  // What they hold is the provider's to check (its sender reads them).
  if (!isObject(data.controls)) return fail(file, 'controls must be an object');
  if (!Array.isArray(data.changes)) return fail(file, 'changes must be an array');
  // Absent in a plan saved before notes existed: none.
  if (data.notes !== undefined && !isStringArray(data.notes)) return fail(file, 'notes must be an array of strings');
  if (!Array.isArray(data.orphans)) return fail(file, 'orphans must be an array');
  for (const [i, raw] of data.orphans.entries()) {
    if (!isObject(raw) || !isNonEmptyString(raw.id) || !isNonEmptyString(raw.key) || (raw.label !== undefined && typeof raw.label !== 'string')) {
      return fail(file, `orphans[${i}] must be an object with a non-empty id and key (and a string label)`);
    }
  }
  if (data.owned !== undefined && !(Number.isInteger(data.owned) && (data.owned as number) >= 0)) return fail(file, 'owned must be a whole number');
  if (data.prune !== undefined && data.prune !== true) return fail(file, 'prune must be true when present');

  const changes: Change[] = [];
  for (const [i, raw] of data.changes.entries()) {
    const problem = changeProblem(raw);
    if (problem) return fail(file, `changes[${i}]${problem}`);
    changes.push(raw as Change);
  }

  const summary = summarize(changes);
  // The summary drives the --max-changes guard, so one that disagrees with the changes is refused, not trusted.
  if (data.summary !== undefined) {
    if (!isObject(data.summary)) return fail(file, 'summary must be an object');
    for (const key of SUMMARY_KEYS) {
      if (data.summary[key] !== undefined && data.summary[key] !== summary[key]) {
        return fail(file, `summary.${key} is ${JSON.stringify(data.summary[key])} but the changes count ${summary[key]}: was the file edited?`);
      }
    }
  }
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: data.createdAt,
    baseUrl: data.baseUrl,
    controls: data.controls as JsonObject,
    summary,
    notes: data.notes ?? [],
    changes,
    orphans: data.orphans as Orphan[],
    ...(data.owned === undefined ? {} : { owned: data.owned as number }),
    ...(data.prune === true ? { prune: true as const } : {}),
  };
  return { ok: true, plan };
}

/** The first shape problem of one change, as a suffix of its path (`.patch must be an object`), or undefined. */
function changeProblem(raw: unknown): string | undefined {
  if (!isObject(raw)) return ' must be an object';
  const required: [string, (v: unknown) => boolean, string][] = [
    ['id', isNonEmptyString, 'a non-empty string'],
    ['kind', isNonEmptyString, 'a non-empty string'],
    ['action', (v) => ACTIONS.includes(v as ChangeAction), `one of ${ACTIONS.join(', ')}`],
    ['file', (v) => typeof v === 'string', 'a string'],
    ['patch', isObject, 'an object'],
    ['before', isObject, 'an object'],
    ['fingerprint', (v) => typeof v === 'string', 'a string'],
    ['warnings', isStringArray, 'an array of strings'],
    ['order', (v) => typeof v === 'number' && Number.isFinite(v), 'a number'],
  ];
  for (const [key, check, what] of required) {
    if (!(key in raw)) return `.${key} is missing`;
    if (!check(raw[key])) return `.${key} must be ${what}`;
  }
  const optional: [string, (v: unknown) => boolean, string][] = [
    ['label', (v) => typeof v === 'string', 'a string'],
    ['key', isNonEmptyString, 'a non-empty string'],
    ['prune', (v) => v === true, 'true'],
    ['dependsOn', isNonEmptyString, 'a non-empty string'],
    ['reason', (v) => typeof v === 'string', 'a string'],
    ['sensitive', isStringArray, 'an array of strings'],
    ['controls', isObject, 'an object'],
    ['expected', isObject, 'an object'],
  ];
  for (const [key, check, what] of optional) {
    if (raw[key] !== undefined && !check(raw[key])) return `.${key} must be ${what}`;
  }
  return undefined;
}

function fail(file: string, message: string): { ok: false; message: string } {
  return { ok: false, message: `${file}: ${message}` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Write the plan so that a reader never sees half a file (core/atomic-write), mode 0600. Refuses
 * to write through a symlink, which could point the plan (and its secret references) somewhere
 * the user did not mean.
 */
export async function writePlanFile(path: string, plan: Plan): Promise<void> {
  const written = await writeNamedFileAtomic(path, serializePlan(plan), { mode: 0o600, overwrite: true, label: `the plan to ${path}` });
  if (!written.ok) throw new PlanFileError(written.error.code === 'atomicWrite.symlink' ? 'planFile.symlink' : 'planFile.write', written.error.message, path);
}

export async function readPlanFile(path: string): Promise<ParsedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    return { ok: false, message: `cannot read the plan file ${path}: ${why}` };
  }
  return parsePlan(text, path);
}
