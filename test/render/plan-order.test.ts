/** The plan's order is code-point order, as the renderers print it: the same on every machine. */
import { expect, it } from 'vitest';
import { makePlan } from '../../core/plan.js';
import { BASE_URL, change, NOW } from './fixtures.js';

it('changes sort by file and id in code-point order, not by the machine locale', () => {
  const files = ['b.yaml', 'B.yaml', 'a_b.yaml', 'a-b.yaml', 'a/b.yaml', 'a.yaml', 'ä.yaml'];
  const plan = makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, now: NOW, changes: files.map((file, i) => change({ id: `m${i}`, file })) });
  expect(plan.changes.map((c) => c.file)).toEqual(['B.yaml', 'a-b.yaml', 'a.yaml', 'a/b.yaml', 'a_b.yaml', 'b.yaml', 'ä.yaml']);
});
