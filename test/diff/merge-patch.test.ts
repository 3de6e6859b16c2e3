import { describe, expect, it } from 'vitest';
import mergePatch from 'json-merge-patch';
import { computeMergePatch, deepEqual, diffEntries } from '../../core/diff.js';
import type { JsonObject, JsonValue } from '../../core/plan.js';

interface Case {
  name: string;
  current: JsonObject;
  desired: JsonObject;
  patch: JsonObject;
}

const cases: Case[] = [
  { name: 'equal documents → empty patch', current: { title: 'A', agenda: 'x' }, desired: { title: 'A' }, patch: {} },
  { name: 'a changed scalar is sent', current: { title: 'A' }, desired: { title: 'B' }, patch: { title: 'B' } },
  {
    name: 'keys absent from desired are unmanaged, never cleared',
    current: { title: 'A', agenda: 'keep me', enabledChat: true },
    desired: { title: 'B' },
    patch: { title: 'B' },
  },
  { name: 'a new field is added', current: { title: 'A' }, desired: { agenda: 'Pipeline' }, patch: { agenda: 'Pipeline' } },
  { name: 'null clears a field that has a value', current: { agenda: 'old' }, desired: { agenda: null }, patch: { agenda: null } },
  { name: 'null on an absent field is no change', current: { title: 'A' }, desired: { agenda: null }, patch: {} },
  { name: 'null on a live null is no change', current: { agenda: null }, desired: { agenda: null }, patch: {} },
  { name: 'a value replaces a live null', current: { agenda: null }, desired: { agenda: 'x' }, patch: { agenda: 'x' } },
  { name: 'null clears an array', current: { trackingCodes: [{ name: 'a', value: 'b' }] }, desired: { trackingCodes: null }, patch: { trackingCodes: null } },
  {
    name: 'nested objects patch only their changed members',
    current: { meetingOptions: { enabledChat: true, enabledVideo: true, enabledNote: false } },
    desired: { meetingOptions: { enabledChat: false, enabledVideo: true } },
    patch: { meetingOptions: { enabledChat: false } },
  },
  {
    name: 'nested unmanaged members are kept',
    current: { meetingOptions: { enabledChat: true, enabledVideo: true } },
    desired: { meetingOptions: {} },
    patch: {},
  },
  {
    name: 'nested null clears a member',
    current: { meetingOptions: { noteType: 'allowAll', enabledNote: true } },
    desired: { meetingOptions: { noteType: null } },
    patch: { meetingOptions: { noteType: null } },
  },
  {
    name: 'nested object created whole when the live document lacks it',
    current: {},
    desired: { meetingOptions: { enabledChat: false, noteType: null } },
    patch: { meetingOptions: { enabledChat: false } },
  },
  { name: 'an empty desired object under an absent key creates nothing', current: {}, desired: { meetingOptions: {} }, patch: {} },
  {
    name: 'arrays are sent whole when they differ',
    current: { integrationTags: ['A', 'B', 'C'] },
    desired: { integrationTags: ['A', 'B', 'D'] },
    patch: { integrationTags: ['A', 'B', 'D'] },
  },
  {
    name: 'equal arrays of objects → no patch (key order inside elements ignored)',
    current: { trackingCodes: [{ value: 'Sales', name: 'Dept' }] },
    desired: { trackingCodes: [{ name: 'Dept', value: 'Sales' }] },
    patch: {},
  },
  {
    name: 'array order matters',
    current: { integrationTags: ['A', 'B'] },
    desired: { integrationTags: ['B', 'A'] },
    patch: { integrationTags: ['B', 'A'] },
  },
  { name: 'an empty array replaces a full one', current: { integrationTags: ['A'] }, desired: { integrationTags: [] }, patch: { integrationTags: [] } },
  { name: 'an empty array on an absent field is sent', current: {}, desired: { integrationTags: [] }, patch: { integrationTags: [] } },
  { name: 'type change: number → string', current: { joinBeforeHostMinutes: 5 }, desired: { joinBeforeHostMinutes: '5' }, patch: { joinBeforeHostMinutes: '5' } },
  { name: 'type change: scalar → object', current: { x: 1 }, desired: { x: { a: 1, b: null } }, patch: { x: { a: 1 } } },
  { name: 'type change: object → scalar', current: { x: { a: 1 } }, desired: { x: 2 }, patch: { x: 2 } },
  { name: 'type change: array → object', current: { x: [1] }, desired: { x: { a: 1 } }, patch: { x: { a: 1 } } },
  { name: 'type change: object → array', current: { x: { a: 1 } }, desired: { x: [1] }, patch: { x: [1] } },
  { name: 'type change: scalar → empty object is a real change', current: { x: 'v' }, desired: { x: {} }, patch: { x: {} } },
  { name: 'boolean false is a value, not a clear', current: { enabledChat: true }, desired: { enabledChat: false }, patch: { enabledChat: false } },
  { name: '0 and empty string are values', current: { n: 5, s: 'x' }, desired: { n: 0, s: '' }, patch: { n: 0, s: '' } },
  {
    name: 'deep objects: only the changed leaf, siblings untouched',
    current: { a: { b: { c: { d: 1, e: 2 }, f: [1, 2] }, g: 'keep' } },
    desired: { a: { b: { c: { d: 1, e: 3 }, f: [1, 2] } } },
    patch: { a: { b: { c: { e: 3 } } } },
  },
  {
    name: 'deep objects: a deep clear and a deep array',
    current: { a: { b: { c: 'x', list: [{ k: 1 }] } } },
    desired: { a: { b: { c: null, list: [{ k: 2 }] } } },
    patch: { a: { b: { c: null, list: [{ k: 2 }] } } },
  },
  {
    name: 'several fields at once',
    current: { title: 'Sales Sync', agenda: null, meetingOptions: { enabledChat: true }, trackingCodes: [{ name: 'Dept', value: 'Sales' }] },
    desired: { title: 'Weekly Sales Sync', agenda: 'Pipeline review', meetingOptions: { enabledChat: false }, trackingCodes: null },
    patch: { title: 'Weekly Sales Sync', agenda: 'Pipeline review', meetingOptions: { enabledChat: false }, trackingCodes: null },
  },
];

/** `doc` on the keys `desired` manages: what the server should hold there after the patch. */
function managedView(doc: JsonValue | undefined, desired: JsonValue): JsonValue | undefined {
  if (desired === null) return undefined;
  if (typeof desired !== 'object' || Array.isArray(desired)) return doc;
  const out: JsonObject = {};
  const src = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc : {};
  for (const [key, value] of Object.entries(desired)) {
    const view = managedView(src[key], value);
    if (view !== undefined && view !== null) out[key] = view;
  }
  return out;
}

describe('computeMergePatch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const patch = computeMergePatch(c.current, c.desired);
      expect(patch).toStrictEqual(c.patch);
      // The RFC 7396 algebra confirms it: applying the patch yields the desired values on every managed key...
      const after = mergePatch.apply(structuredClone(c.current), patch) as JsonObject;
      expect(deepEqual(managedView(after, c.desired), managedView(c.desired, c.desired))).toBe(true);
      // ...and leaves every unmanaged key exactly as it was.
      for (const key of Object.keys(c.current)) {
        if (!(key in c.desired)) expect(after[key]).toStrictEqual(c.current[key]);
      }
    });
  }

  it('does not modify its inputs', () => {
    const current: JsonObject = { a: { b: 1 }, list: [1] };
    const desired: JsonObject = { a: { b: 2, c: null }, list: [2] };
    const snapshot = JSON.stringify([current, desired]);
    computeMergePatch(current, desired);
    expect(JSON.stringify([current, desired])).toBe(snapshot);
  });

  it('the patch shares no mutable structure with desired', () => {
    const desired: JsonObject = { list: [{ k: 1 }] };
    const patch = computeMergePatch({}, desired);
    (patch.list as JsonObject[])[0].k = 99;
    expect(desired).toStrictEqual({ list: [{ k: 1 }] });
  });
});

describe('deepEqual', () => {
  const table: [unknown, unknown, boolean][] = [
    [1, 1, true],
    [1, '1', false],
    [null, null, true],
    [null, undefined, false],
    [{}, [], false],
    [[], [], true],
    [[1, 2], [2, 1], false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: 1 }, { a: 1, b: null }, false],
    [{ a: { b: [1, { c: true }] } }, { a: { b: [1, { c: true }] } }, true],
    [{ a: { b: [1, { c: true }] } }, { a: { b: [1, { c: false }] } }, false],
    [{ a: undefined }, { b: undefined }, true],
  ];
  for (const [a, b, expected] of table) {
    it(`${JSON.stringify(a) ?? 'undefined'} vs ${JSON.stringify(b) ?? 'undefined'} → ${expected}`, () => {
      expect(deepEqual(a, b)).toBe(expected);
      expect(deepEqual(b, a)).toBe(expected);
    });
  }
});

describe('diffEntries', () => {
  it('lists leaves with dotted paths; arrays are one leaf; clears have after null', () => {
    const before: JsonObject = { title: 'Sales Sync', meetingOptions: { enabledChat: true }, trackingCodes: [{ name: 'Dept', value: 'Sales' }] };
    const patch: JsonObject = {
      title: 'Weekly Sales Sync',
      meetingOptions: { enabledChat: false, enabledNote: true },
      agenda: 'Pipeline review',
      trackingCodes: null,
      integrationTags: ['A', 'B'],
    };
    expect(diffEntries(before, patch)).toStrictEqual([
      { path: 'title', before: 'Sales Sync', after: 'Weekly Sales Sync' },
      { path: 'meetingOptions.enabledChat', before: true, after: false },
      { path: 'meetingOptions.enabledNote', before: undefined, after: true },
      { path: 'agenda', before: undefined, after: 'Pipeline review' },
      { path: 'trackingCodes', before: [{ name: 'Dept', value: 'Sales' }], after: null },
      { path: 'integrationTags', before: undefined, after: ['A', 'B'] },
    ]);
  });

  it('walks into an object created from nothing, and keeps a type change as one leaf', () => {
    expect(diffEntries({ x: 5 }, { a: { b: { c: 1 } }, x: { y: 1 } })).toStrictEqual([
      { path: 'a.b.c', before: undefined, after: 1 },
      { path: 'x', before: 5, after: { y: 1 } },
    ]);
  });

  it('an empty patch has no entries', () => {
    expect(diffEntries({ a: 1 }, {})).toStrictEqual([]);
  });
});
