import type { Change } from '../../core/plan.js';

export function change(meetingId: string, over: Partial<Change> = {}): Change {
  return {
    meetingId,
    kind: 'series',
    action: 'update',
    file: `meetings/${meetingId}.yaml`,
    patch: { title: `title of ${meetingId}` },
    before: {},
    fingerprint: 'f',
    warnings: [],
    order: 0,
    ...over,
  };
}
