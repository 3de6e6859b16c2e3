/**
 * Plan and diagnostic order is code-unit order (core/order), never the machine's locale: the
 * renderers group files in that order, and a plan must list its changes the same way on every
 * machine. Names that differ only in case or punctuation are where a locale's collation differs.
 */
import { describe, expect, it } from 'vitest';
import { sortDiagnostics, error } from '../../core/diagnostics.js';
import { compareStrings } from '../../core/order.js';
import { sortChanges } from '../../core/plan.js';
import { groupByFile } from '../../core/render/changes.js';
import { change } from './fixtures.js';

const FILES = ['meetings/b.yaml', 'meetings/B.yaml', 'meetings/a-b.yaml', 'meetings/a_b.yaml', 'meetings/ab.yaml', 'meetings/Ä.yaml', 'meetings/a.yaml'];
const CODE_UNIT_ORDER = ['meetings/B.yaml', 'meetings/a-b.yaml', 'meetings/a.yaml', 'meetings/a_b.yaml', 'meetings/ab.yaml', 'meetings/b.yaml', 'meetings/Ä.yaml'];

describe('string order in core', () => {
  it('is code-unit order, not the locale collation', () => {
    expect([...FILES].sort(compareStrings)).toEqual(CODE_UNIT_ORDER);
  });

  it('sortChanges orders files (and ids) by code unit, as the renderers group them', () => {
    const changes = FILES.map((file, i) => change({ id: `m${FILES.length - i}`, file }));
    const sorted = sortChanges(changes);
    expect(sorted.map((c) => c.file)).toEqual(CODE_UNIT_ORDER);
    const plan = { changes: sorted } as Parameters<typeof groupByFile>[0];
    expect(groupByFile(plan).map((g) => g.file)).toEqual(sorted.map((c) => c.file));
    expect(sortChanges([change({ id: 'b', file: 'f' }), change({ id: 'B', file: 'f' })]).map((c) => c.id)).toEqual(['B', 'b']);
  });

  it('sortDiagnostics orders files and codes by code unit', () => {
    const list = FILES.map((file) => error('x.code', 'message', { file, line: 1, col: 1 }));
    expect(sortDiagnostics(list).map((d) => d.file)).toEqual(CODE_UNIT_ORDER);
    const codes = sortDiagnostics([error('rule.b', 'm', { file: 'f' }), error('rule.B', 'm', { file: 'f' })]).map((d) => d.code);
    expect(codes).toEqual(['rule.B', 'rule.b']);
  });
});
