/**
 * The cross-field rules the catalogue states, written once: which values confine a meeting to
 * one kind (webinar-only, not for a webinar, values only one kind accepts) and which values need
 * their switch on. Validation (`rules.ts`) applies them to a file alone; planning
 * (`live-rules.ts`) to a file together with the live meeting.
 */
import { isPlainObject } from '../core/diff.js';
import { MEETING_FIELDS, type FieldSpec, type Requirement } from './catalogue.js';

export type MeetingKind = 'meeting' | 'webinar';

/** A field a document sets: its path (a top-level field or a member of an object field), its entry, its value. */
export interface SetField {
  path: string[];
  spec: FieldSpec;
  value: unknown;
}

export function isWebinar(meeting: Record<string, unknown>): boolean {
  return meeting.scheduledType === 'webinar';
}

export function kindOf(meeting: Record<string, unknown>): MeetingKind {
  return isWebinar(meeting) ? 'webinar' : 'meeting';
}

/** Every catalogue field `data` sets, in catalogue order, an object field before its members. */
export function setFields(data: Record<string, unknown>, specs: readonly FieldSpec[] = MEETING_FIELDS): SetField[] {
  const out: SetField[] = [];
  addSetFields(out, data, specs, ROOT);
  return out;
}

const ROOT: readonly string[] = Object.freeze([]);
// A field's path depends only on where its entry sits in the catalogue: made once, frozen, shared.
const paths = new WeakMap<readonly string[], Map<FieldSpec, string[]>>();

function pathOf(prefix: readonly string[], spec: FieldSpec): string[] {
  let byPrefix = paths.get(prefix);
  if (byPrefix === undefined) paths.set(prefix, (byPrefix = new Map()));
  let path = byPrefix.get(spec);
  if (path === undefined) byPrefix.set(spec, (path = Object.freeze([...prefix, spec.name]) as string[]));
  return path;
}

// Where each entry sits in its list: a document sets a handful of fields, so the walk goes over its keys, not the catalogue.
const positions = new WeakMap<readonly FieldSpec[], Map<string, number>>();

function positionsOf(specs: readonly FieldSpec[]): Map<string, number> {
  let byName = positions.get(specs);
  if (byName === undefined) positions.set(specs, (byName = new Map(specs.map((spec, i) => [spec.name, i]))));
  return byName;
}

function addSetFields(out: SetField[], data: Record<string, unknown>, specs: readonly FieldSpec[], prefix: readonly string[]): void {
  const byName = positionsOf(specs);
  const found: number[] = [];
  for (const key of Object.keys(data)) {
    const i = byName.get(key);
    if (i !== undefined && data[key] !== undefined) found.push(i);
  }
  found.sort((a, b) => a - b);
  for (const i of found) {
    const spec = specs[i];
    const value = data[spec.name];
    const path = pathOf(prefix, spec);
    out.push({ path, spec, value });
    if (spec.members && isPlainObject(value)) addSetFields(out, value, spec.members, path);
  }
}

/**
 * The one kind of meeting that accepts this value, or undefined when both do. A webinar-only
 * switch confines only when on: false is what a meeting reports anyway.
 */
export function kindRequiredBy(spec: FieldSpec, value: unknown): MeetingKind | undefined {
  if (spec.webinarOnly) return (spec.type === 'boolean' ? value === true : value !== undefined) ? 'webinar' : undefined;
  if (spec.notForWebinar) return value !== undefined ? 'meeting' : undefined;
  const byKind = spec.valuesByKind;
  if (byKind && typeof value === 'number') {
    const meeting = byKind.meeting.includes(value);
    if (meeting !== byKind.webinar.includes(value)) return meeting ? 'meeting' : 'webinar';
  }
  return undefined;
}

/** Why a meeting of `kind` refuses this value, or undefined when it takes it; `subject` says what the meeting is (`<id> is a meeting`). */
export function kindProblem(field: SetField, kind: MeetingKind, subject: string): string | undefined {
  const name = field.path.join('.');
  const allowed = field.spec.valuesByKind?.[kind];
  if (allowed) {
    return typeof field.value === 'number' && !allowed.includes(field.value) ? `${name} must be one of ${allowed.join(', ')} for a ${kind}` : undefined;
  }
  const needed = kindRequiredBy(field.spec, field.value);
  if (needed === undefined || needed === kind) return undefined;
  return needed === 'webinar' ? `${name} applies to webinars only, and ${subject}` : `${name} is not supported for a webinar, and ${subject}`;
}

/** The path of the switch this value needs on, or undefined when it needs none. */
export function switchNeeded(field: SetField): string[] | undefined {
  const requires = field.spec.requires;
  if (!requires || !needsSwitch(requires, field.value)) return undefined;
  return switchPathOf(field.path, requires);
}

/** Does this value of a field need its switch on? (The value Webex reports with the switch off does not.) */
export function needsSwitch(requires: Requirement, v: unknown): boolean {
  if (requires.offValue !== undefined && v === requires.offValue) return false;
  return requires.when === 'true' ? v === true : requires.when === 'set' ? v !== undefined : typeof v === 'number' && v > 0;
}

/** The switch of the field at `path`: a sibling in the same object. */
export function switchPathOf(path: readonly string[], requires: Requirement): string[] {
  return [...path.slice(0, -1), requires.field];
}

/** The value at `path` in a document or a meeting (undefined where the path leaves the objects). */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** Every catalogue field, top-level or a member, whose switch requirement matches: worked out once per question. */
export function fieldsRequiring(matches: (requires: Requirement) => boolean): { path: string[]; requires: Requirement }[] {
  const walk = (specs: readonly FieldSpec[], prefix: string[]): { path: string[]; requires: Requirement }[] =>
    specs.flatMap((spec) => [
      ...(spec.requires && matches(spec.requires) ? [{ path: [...prefix, spec.name], requires: spec.requires }] : []),
      ...(spec.members ? walk(spec.members, [...prefix, spec.name]) : []),
    ]);
  return walk(MEETING_FIELDS, []);
}
