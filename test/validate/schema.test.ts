/** The JSON Schemas and the field catalogue must never drift apart. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS, MEETING_FIELDS, OCCURRENCE_FIELDS, type CompareKind, type FieldSpec } from '../../meetings/catalogue.js';
import { SCHEDULED_MEETING_ID } from '../../meetings/ids.js';
import { compileSchema } from '../../core/schema-compile.js';

const ROOT = join(import.meta.dirname, '..', '..');
type Schema = Record<string, any>;
const meeting: Schema = JSON.parse(readFileSync(join(ROOT, 'schemas/meeting.schema.json'), 'utf8'));
const defaults: Schema = JSON.parse(readFileSync(join(ROOT, 'schemas/defaults.schema.json'), 'utf8'));

function types(s: Schema): string[] {
  return (Array.isArray(s.type) ? s.type : [s.type]).filter((t: string) => t !== 'null');
}

/** The comparisons each schema type can take. */
const COMPARE_FOR_TYPE: Record<FieldSpec['type'], CompareKind[]> = {
  string: ['scalar', 'rule'],
  datetime: ['instant'],
  boolean: ['scalar'],
  number: ['scalar'],
  object: ['mergedObject'],
  array: ['unorderedSet', 'trackingCodes'],
};

const SECRET_PATTERN = '^\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}$';

const EXPECTED_TYPE: Record<FieldSpec['type'], string[]> = {
  string: ['string'],
  datetime: ['string'],
  boolean: ['boolean'],
  number: ['integer'],
  object: ['object'],
  array: ['array'],
};

function checkFields(properties: Schema, fields: readonly FieldSpec[], where: string): void {
  for (const f of fields) {
    const s = properties[f.name];
    expect(s, `${where}.${f.name} missing from the schema`).toBeDefined();
    expect(types(s), `${where}.${f.name} type`).toEqual(EXPECTED_TYPE[f.type]);
    const nullable = Array.isArray(s.type) && s.type.includes('null');
    expect(nullable, `${where}.${f.name} null allowed exactly when clearable`).toBe(f.clearable === true);
    expect(COMPARE_FOR_TYPE[f.type], `${where}.${f.name} compares as its type allows`).toContain(f.compare);
    expect(s.pattern === SECRET_PATTERN, `${where}.${f.name} takes only a secret reference exactly when sensitive`).toBe(f.sensitive === true);
    if (f.valuesByKind) {
      const all = [...new Set([...f.valuesByKind.meeting, ...f.valuesByKind.webinar])].sort((a, b) => a - b);
      expect(s.enum, `${where}.${f.name} enum is what either kind takes`).toEqual(all);
    }
    if (f.requires) {
      expect(properties[f.requires.field]?.type, `${where}.${f.name} needs a boolean switch beside it`).toBe('boolean');
    }
    if (f.members) {
      expect(s.additionalProperties, `${where}.${f.name}`).toBe(false);
      expect(Object.keys(s.properties).sort()).toEqual(f.members.map((m) => m.name).sort());
      checkFields(s.properties, f.members, `${where}.${f.name}`);
    }
  }
}

function everyObject(s: unknown, visit: (o: Schema, path: string) => void, path = '#'): void {
  if (s === null || typeof s !== 'object') return;
  const o = s as Schema;
  if (o.type === 'object' || (Array.isArray(o.type) && o.type.includes('object'))) visit(o, path);
  // An `if` is a condition on an object, not the shape of one: it names only what it tests.
  for (const [k, v] of Object.entries(o)) if (k !== 'if') everyObject(v, visit, `${path}/${k}`);
}

describe('meeting.schema.json', () => {
  it('has an $id and compiles', () => {
    expect(meeting.$id).toBe('https://meetctl.dev/schemas/meeting.schema.json');
    expect(() => compileSchema(meeting)).not.toThrow();
  });
  it('holds every catalogue field with the right type, and nothing else', () => {
    const extra = ['id', 'key', 'hostEmail', 'occurrences'];
    expect(Object.keys(meeting.properties).sort()).toEqual([...MEETING_FIELDS.map((f) => f.name), ...extra].sort());
    checkFields(meeting.properties, MEETING_FIELDS, 'meeting');
    expect(meeting.required).toBeUndefined();
    expect(meeting.properties).not.toHaveProperty('sendEmail');
  });
  it('a file names its meeting by id, by key or by both; an occurrence by id or by at, never both', () => {
    const { validate } = compileSchema(meeting);
    const file = (data: object) => validate({ title: 'x', ...data });
    expect([file({}), file({ id: 'abc123' }), file({ key: 'team-sync' }), file({ id: 'abc123', key: 'team-sync' })]).toEqual([false, true, true, true]);
    const occurrence = (occ: object) => validate({ id: 'abc123', occurrences: [occ] });
    const id = 'abc123_20270316T080000Z';
    const at = '2027-03-16T09:00:00+01:00';
    expect([occurrence({}), occurrence({ id }), occurrence({ at }), occurrence({ id, at }), occurrence({ at, cancelled: true })]).toEqual([false, true, true, false, true]);
  });
  it('a key is what the ownership tag can carry: lowercase letters, digits, . _ -, at most 55', () => {
    const pattern = new RegExp(meeting.properties.key.pattern);
    expect(meeting.properties.key.pattern).toBe('^[a-z0-9._-]{1,55}$');
    for (const key of ['team-sync', 'sales.weekly_2027', 'a'.repeat(55)]) expect(pattern.test(key), key).toBe(true);
    for (const key of ['Team-sync', 'team sync', 'meetctl:x', '', 'a'.repeat(56)]) expect(pattern.test(key), key).toBe(false);
  });
  it('at names an instant: its offset or Z is required', () => {
    const pattern = new RegExp(meeting.definitions.occurrence.properties.at.pattern);
    for (const at of ['2027-03-16T09:00:00+01:00', '2027-03-16T08:00:00Z', '2027-03-16T09:00+0100', '2027-03-16 09:00:00.5Z']) expect(pattern.test(at), at).toBe(true);
    for (const at of ['2027-03-16T09:00:00', '2027-03-16', '2027-03-16T09:00:00 Europe/Berlin']) expect(pattern.test(at), at).toBe(false);
  });
  it('an occurrence id has the shape meetctl reads ids in', () => {
    const pattern = new RegExp(meeting.definitions.occurrence.properties.id.pattern);
    const ids = ['abc123_20270302T080000Z', 'abc123_20270230T080000Z', 'abc_123_20270302T080000Z', 'abc123_20270302T0800Z', 'abc123_20270302T080000', '_20270302T080000Z'];
    for (const id of ids) expect(pattern.test(id), id).toBe(SCHEDULED_MEETING_ID.test(id));
  });
  it('occurrences take exactly the occurrence-capable fields', () => {
    const occ = meeting.definitions.occurrence;
    expect(Object.keys(occ.properties).sort()).toEqual(['id', 'at', 'cancelled', ...OCCURRENCE_FIELDS.map((f) => f.name)].sort());
    expect(occ.properties).not.toHaveProperty('recurrence');
    expect(occ.properties).not.toHaveProperty('integrationTags');
    checkFields(occ.properties, OCCURRENCE_FIELDS, 'occurrence');
  });
  it('encodes the documented limits', () => {
    const p = meeting.properties;
    expect(p.title.maxLength).toBe(128);
    expect(p.agenda.maxLength).toBe(1300);
    expect(p.integrationTags.maxItems).toBe(LIMITS.integrationTagsMax);
    expect(p.integrationTags.items.maxLength).toBe(64);
    expect(meeting.definitions.trackingCode.properties.name).toMatchObject({ minLength: 1, maxLength: 120 });
    expect(meeting.definitions.trackingCode.properties.value).toMatchObject({ minLength: 1, maxLength: 120 });
    expect(p.visualWatermarkOpacity).toMatchObject({ minimum: 5, maximum: 80 });
    expect(p.joinBeforeHostMinutes.enum).toEqual([0, 5, 10, 15, 30, 45, 60]);
    expect(p.unlockedMeetingJoinSecurity.enum).toEqual(['allowJoin', 'allowJoinWithLobby', 'blockFromJoin']);
    expect(p.meetingOptions.properties.noteType.enum).toEqual(['allowAll', 'allowOne']);
    expect(p.audioConnectionOptions.properties.audioConnectionType.enum).toEqual(['webexAudio', 'VoIP', 'other', 'none']);
    expect(p.audioConnectionOptions.properties.entryAndExitTone.enum).toEqual(['beep', 'announceName', 'noTone']);
    for (const secret of ['password', 'panelistPassword']) expect(p[secret].pattern).toBe('^\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}$');
  });
  it('closes every object and describes every property', () => {
    for (const schema of [meeting, defaults]) {
      everyObject(schema, (o, path) => {
        if (o.$schema) expect(o.additionalProperties, path).toBe(false);
        if (o.properties) {
          expect(o.additionalProperties, path).toBe(false);
          for (const [name, prop] of Object.entries(o.properties as Schema)) {
            expect(typeof prop.description === 'string' && prop.description.length > 5, `${path}.${name} description`).toBe(true);
          }
        }
      });
    }
  });
});

describe('defaults.schema.json', () => {
  it('takes the same fields, no id, no key and no occurrences', () => {
    expect(defaults.$id).toBe('https://meetctl.dev/schemas/defaults.schema.json');
    expect(Object.keys(defaults.properties).sort()).toEqual([...MEETING_FIELDS.map((f) => f.name), 'hostEmail'].sort());
    checkFields(defaults.properties, MEETING_FIELDS, 'defaults');
    expect(defaults.required).toBeUndefined();
    expect(() => compileSchema(defaults)).not.toThrow();
  });
});
