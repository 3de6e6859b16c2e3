import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson, fingerprint } from '../../core/fingerprint.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x y' } })).toBe('{"a":{"c":"x y","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('leaves out undefined members and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, null] })).toBe('{"b":[null,null]}');
  });

  it('escapes strings as JSON', () => {
    expect(canonicalJson({ 'k"': 'line\nbreak' })).toBe('{"k\\"":"line\\nbreak"}');
  });

  it('orders keys by code point, not locale (uppercase before lowercase)', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3 })).toBe('{"B":2,"a":3,"b":1}');
  });
});

describe('fingerprint', () => {
  it('is sha256:<hex> of the canonical JSON', () => {
    const expected = createHash('sha256').update('{"a":1,"b":[true,null]}').digest('hex');
    expect(fingerprint({ b: [true, null], a: 1 })).toBe(`sha256:${expected}`);
  });

  it('does not depend on key order', () => {
    expect(fingerprint({ title: 'A', meetingOptions: { enabledChat: true, enabledVideo: false } })).toBe(
      fingerprint({ meetingOptions: { enabledVideo: false, enabledChat: true }, title: 'A' }),
    );
  });

  it('changes when any value changes', () => {
    expect(fingerprint({ a: [1, 2] })).not.toBe(fingerprint({ a: [2, 1] }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: '1' }));
  });
});
