import type { Change } from '../../core/plan.js';

export function change(id: string, over: Partial<Change> = {}): Change {
  return {
    id,
    kind: 'series',
    action: 'update',
    file: `meetings/${id}.yaml`,
    patch: { title: `title of ${id}` },
    before: {},
    fingerprint: 'f',
    warnings: [],
    order: 0,
    ...over,
  };
}
