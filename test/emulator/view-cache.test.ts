/**
 * The emulator keeps every view it answers as serialized JSON between requests. Those kept bytes must
 * be exactly what a freshly built view would give: an emulator that has served everything before is
 * compared, body for body, with a new one brought to the same state, across writes (a PATCH by each
 * client) and clock moves that change states and the `current` scheduled meeting.
 */
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { generateSeed, type Emulator, type SeedFile } from '../../emulator/index.js';
import { SALES, emulator, ownedSeed } from './helpers.js';

const WINDOW = 'from=2027-01-01T00:00:00Z&to=2029-01-01T00:00:00Z';
const OTHER = 't-other-client';

function seed(): SeedFile {
  const s = ownedSeed();
  s.meetings!.push(...generateSeed({ series: 30, seed: 5 }).meetings!);
  s.tokens = [{ token: 't-admin', admin: true }, { token: OTHER, admin: true, clientId: 'other-integration' }];
  return s;
}

/** What shapes a view besides the meeting: the client (its own integration tags) and the `timezone` header. */
const SHAPES: { token: string; headers: Record<string, string> }[] = [
  { token: 't-admin', headers: {} },
  { token: OTHER, headers: {} },
  { token: 't-admin', headers: { timezone: 'Asia/Tokyo' } },
];

const LISTS = [
  `/meetings?meetingType=meetingSeries&max=25&current=false&${WINDOW}`,
  `/meetings?meetingType=meetingSeries&max=25&current=true&${WINDOW}`,
  `/meetings?meetingType=scheduledMeeting&max=100&${WINDOW}`,
  `/meetings?meetingType=scheduledMeeting&isModified=true&max=10&${WINDOW}`,
];

interface Served {
  shape: number;
  /** Relative to the base URL, cursor included. */
  path: string;
  body: string;
}

async function text(e: Emulator, path: string, shape: (typeof SHAPES)[number]): Promise<{ body: string; next?: string }> {
  const res = await request(`${e.baseUrl}${path}`, { headers: { authorization: `Bearer ${shape.token}`, ...shape.headers } });
  const body = await res.body.text();
  expect(res.statusCode, `${path}: ${body.slice(0, 300)}`).toBe(200);
  const link = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
  return { body, next: link === undefined ? undefined : link.slice(e.baseUrl.length) };
}

/** Every list page (following the cursor) and GETs of what they list, in every shape. */
async function everything(e: Emulator): Promise<Served[]> {
  const served: Served[] = [];
  for (const [s, shape] of SHAPES.entries()) {
    const ids = new Set<string>();
    for (const first of LISTS) {
      let path: string | undefined = first;
      while (path !== undefined) {
        const r: { body: string; next?: string } = await text(e, path, shape);
        served.push({ shape: s, path, body: r.body });
        // Every series and modified scheduled meeting, and one scheduled meeting a page, is read alone too.
        const items = (JSON.parse(r.body) as { items: { id: string; isModified?: boolean }[] }).items;
        for (const [k, item] of items.entries()) if (k === 0 || item.isModified !== false) ids.add(item.id);
        path = r.next;
      }
    }
    for (const id of ids) {
      for (const path of id.includes('_') ? [`/meetings/${id}`] : [`/meetings/${id}`, `/meetings/${id}?current=true`]) {
        served.push({ shape: s, path, body: (await text(e, path, SHAPES[s])).body });
      }
    }
  }
  return served;
}

/**
 * The same requests, in the reverse order: should the emulator mix up what shapes a view (client,
 * zone, list item or not, `current`), whichever of two shapes is asked first would win, and that
 * differs between the two orders.
 */
async function again(e: Emulator, requests: Served[]): Promise<Served[]> {
  const out: Served[] = [];
  for (const r of [...requests].reverse()) out.unshift({ ...r, body: (await text(e, r.path, SHAPES[r.shape])).body });
  return out;
}

type Step = (e: Emulator) => Promise<void>;

const retitle: Step = async (e) => {
  const res = await request(`${e.baseUrl}/meetings/${SALES}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer t-admin', 'content-type': 'application/json-patch+json' },
    body: JSON.stringify({ title: 'Sales weekly (renamed)' }),
  });
  expect(res.statusCode, await res.body.text()).toBe(200);
};
const tagAsOther: Step = async (e) => {
  const res = await request(`${e.baseUrl}/meetings/${SALES}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${OTHER}`, 'content-type': 'application/json-patch+json' },
    body: JSON.stringify({ integrationTags: ['OTHER-1'] }),
  });
  expect(res.statusCode, await res.body.text()).toBe(200);
};
const clockTo =
  (iso: string): Step =>
  async (e) => {
    e.clock.set(iso);
  };
/** The steps must change what they are meant to, or the comparison proves nothing. */
const expectView =
  (path: string, fields: Record<string, unknown>): Step =>
  async (e) => {
    expect(JSON.parse((await text(e, path, SHAPES[0])).body)).toMatchObject(fields);
  };
const FIRST = `${SALES}_20270302T080000Z`;

/** After each step, the emulator that has answered everything before and a new one must answer the same bytes. */
async function compareAcross(steps: Step[]): Promise<void> {
  const used = await emulator({ seed: seed() });
  await everything(used);
  for (let i = 0; i < steps.length; i++) {
    await steps[i](used);
    const served = await everything(used);
    const fresh = await emulator({ seed: seed() });
    for (const step of steps.slice(0, i + 1)) await step(fresh);
    const expected = await again(fresh, served);
    for (const [k, r] of served.entries()) expect(r.body, `after step ${i + 1}: shape ${r.shape} ${r.path}`).toBe(expected[k].body);
    await fresh.close();
  }
}

describe('kept views', () => {
  test('a page is the JSON.stringify of its content, byte for byte, as a body built whole would be', async () => {
    const e = await emulator({ seed: seed() });
    const first = await everything(e);
    expect(first.length).toBeGreaterThan(100);
    const second = await again(e, first);
    for (const [k, r] of first.entries()) {
      expect(r.body, r.path).toBe(JSON.stringify(JSON.parse(r.body)));
      expect(second[k].body, r.path).toBe(r.body);
    }
  });

  test('writes by either client change what is served, in every shape', async () => {
    await compareAcross([retitle, tagAsOther]);
  });

  test('clock moves change states and the current scheduled meeting of what was served before', async () => {
    // SALES meets on Tuesdays from 2 March 2027, 08:00-08:30 UTC: ready 15 minutes before, then
    // missed, and `current` moves on to the next week; in 2029 every series of the seed has ended.
    await compareAcross([
      clockTo('2027-03-02T07:50:00Z'),
      expectView(`/meetings/${SALES}?current=true`, { id: FIRST, state: 'ready' }),
      clockTo('2027-03-02T08:40:00Z'),
      expectView(`/meetings/${FIRST}`, { state: 'missed' }),
      expectView(`/meetings/${SALES}?current=true`, { id: `${SALES}_20270309T080000Z`, state: 'scheduled' }),
      retitle,
      clockTo('2029-06-01T00:00:00Z'),
      expectView(`/meetings/${SALES}`, { state: 'expired' }),
    ]);
  });
});
