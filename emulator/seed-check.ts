/**
 * A seed file checked against schemas/seed.schema.json before anything is built from it, and the
 * `${env:NAME}` references of a seed read from the emulator's environment: a snapshot of a live
 * Webex holds no secret, only the names of the variables a rehearsal sets (see meetctl import --snapshot).
 */
import { Ajv, type ErrorObject } from 'ajv';
import seedSchema from '../schemas/seed.schema.json' with { type: 'json' };
import type { SeedFile } from './seed.js';

let validator: ReturnType<Ajv['compile']> | undefined;

/** `/meetings/0/start` → `meetings[0].start`. */
function jsonPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '') || '(top level)';
}

function describe(e: ErrorObject): string {
  const at = jsonPath(e.instancePath);
  if (e.keyword === 'additionalProperties') return `${at}: unknown field '${String(e.params.additionalProperty)}'`;
  if (e.keyword === 'required') return `${at}: needs '${String(e.params.missingProperty)}'`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}: ${e.message ?? 'is not valid'}`;
}

/** Throws one message naming the file and the JSON path of every problem. */
export function checkSeedSchema(data: unknown, where: string): asserts data is SeedFile {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(seedSchema);
  if (validator(data)) return;
  const problems = [...new Set((validator.errors ?? []).map(describe))];
  throw new Error(`seed ${where} does not match schemas/seed.schema.json:\n  ${problems.join('\n  ')}`);
}

const ENV_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * Every top-level string value of a meeting or an occurrence written `${env:NAME}` replaced by
 * that variable's value. A variable that is not set stops the start, naming it and where it is used.
 */
export function resolveSeedEnv(seed: SeedFile, env: Readonly<Record<string, string | undefined>>, where: string): SeedFile {
  const missing: string[] = [];
  const resolve = (entry: Record<string, unknown>, path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...entry };
    for (const [key, value] of Object.entries(entry)) {
      const name = typeof value === 'string' ? ENV_REF.exec(value)?.[1] : undefined;
      if (name === undefined) continue;
      const resolved = env[name];
      if (resolved === undefined || resolved === '') missing.push(`${path}.${key}: environment variable ${name} is not set`);
      else out[key] = resolved;
    }
    return out;
  };
  const meetings = (seed.meetings ?? []).map((m, i) => {
    const meeting = resolve(m, `meetings[${i}]`);
    if (Array.isArray(m.occurrences)) meeting.occurrences = m.occurrences.map((o, j) => resolve(o, `meetings[${i}].occurrences[${j}]`));
    return meeting as typeof m;
  });
  if (missing.length > 0) {
    throw new Error(`seed ${where}: ${missing.join('; ')} (set it to any value: a rehearsal's plan reads the same variable)`);
  }
  return seed.meetings === undefined ? seed : { ...seed, meetings };
}
