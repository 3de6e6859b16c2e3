/** Site tracking codes: seeded site-wide, listed by GET /meetings/trackingCodes, defaults filled in on writes. */
import { describe, expect, test } from 'vitest';
import { ownedSeed, BOARD, SALES, call, emulator, messages, patch } from './helpers.js';
import type { SeedFile } from '../../emulator/index.js';

function seedWithCodes(): SeedFile {
  return {
    ...ownedSeed(),
    trackingCodes: [
      { name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Engineering', defaultValue: false }, { value: 'Design', defaultValue: true }] },
      { name: 'Project', inputMode: 'text', type: 'optional' },
      { name: 'CostCenter', inputMode: 'select', type: 'required', options: [{ value: 'CC-1', defaultValue: true }] },
    ],
  };
}

describe('tracking codes', () => {
  test('paths./meetings/trackingCodes.get.parameters.service (required): the seeded site codes as MeetingTrackingCodesObject; 400 without service', async () => {
    const e = await emulator({ seed: seedWithCodes() });
    const r = await call(e, 'GET', '/meetings/trackingCodes?service=MeetingCenter');
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(3);
    expect(r.body.items[0]).toEqual({
      id: '1',
      name: 'Department',
      siteUrl: 'meetctl-emulator.webex.com',
      options: [{ value: 'Engineering', defaultValue: false }, { value: 'Design', defaultValue: true }],
      inputMode: 'select',
      service: 'MeetingCenter',
      type: 'optional',
    });
    const missing = await call(e, 'GET', '/meetings/trackingCodes');
    expect(missing.status).toBe(400);
    expect(messages(missing)).toMatch(/'service' is required/);
    expect((await call(e, 'GET', '/meetings/trackingCodes?service=EventCenter')).body.items).toEqual([]);
  });

  test('paths./meetings/trackingCodes.get: none by default', async () => {
    const e = await emulator();
    expect((await call(e, 'GET', '/meetings/trackingCodes?service=MeetingCenter')).body).toEqual({ items: [] });
  });

  test('PatchMeetingObject.trackingCodes: an optional site code left out of the array gets its default option; required ones and codes without a default do not', async () => {
    const e = await emulator({ seed: seedWithCodes() });
    const r = await patch(e, BOARD, { trackingCodes: [{ name: 'Project', value: 'Apollo' }] });
    expect(r.status).toBe(200);
    expect(r.body.trackingCodes).toEqual([{ name: 'Project', value: 'Apollo' }, { name: 'Department', value: 'Design' }]);
    // A code that is sent keeps its value.
    expect((await patch(e, BOARD, { trackingCodes: [{ name: 'Department', value: 'Engineering' }] })).body.trackingCodes).toEqual([{ name: 'Department', value: 'Engineering' }]);
    // A PATCH that does not send trackingCodes leaves them alone.
    expect((await patch(e, SALES, { title: 'Sales' })).body.trackingCodes).toBeUndefined();
    // A select code takes only one of the site's options.
    const bad = await patch(e, BOARD, { trackingCodes: [{ name: 'Department', value: 'Marketing' }] });
    expect(bad.status).toBe(400);
    expect(messages(bad)).toMatch(/'Department' is a select: its value must be one of 'Engineering', 'Design'/);
    const put = await call(e, 'PUT', `/meetings/${SALES}`, { body: { title: 'Sales', start: '2027-03-02T09:00:00+01:00', end: '2027-03-02T09:30:00+01:00', trackingCodes: [] } });
    expect(put.body.trackingCodes).toEqual([{ name: 'Department', value: 'Design' }]);
  });

  test('UpdateMeetingObject.trackingCodes: a PUT sets the codes even when it leaves them out, and an optional code missing from them gets its default, as with []', async () => {
    const e = await emulator({ seed: seedWithCodes() });
    // A series falls back to no codes: the site defaults only, its earlier codes replaced.
    await patch(e, SALES, { trackingCodes: [{ name: 'Project', value: 'Apollo' }] });
    expect((await call(e, 'PUT', `/meetings/${BOARD}`, { body: { title: 'Board Review' } })).body.trackingCodes).toEqual([{ name: 'Department', value: 'Design' }]);
    // A scheduled meeting falls back to its series' codes.
    const occ = `${SALES}_20270316T080000Z`;
    await patch(e, occ, { trackingCodes: [{ name: 'Project', value: 'Zeus' }, { name: 'Department', value: 'Engineering' }] });
    const put = await call(e, 'PUT', `/meetings/${occ}`, { body: { title: 'Sales' } });
    expect(put.status).toBe(200);
    expect(put.body.trackingCodes).toEqual([{ name: 'Project', value: 'Apollo' }, { name: 'Department', value: 'Design' }]);
  });

  test('paths./meetings/trackingCodes.get.description: a host\'s user-level code is merged into the options as the default, and the site default is no longer one; the host\'s meetings get it', async () => {
    // The seeds' meetings are hosted by host@example.com, the admin token's own user.
    const seed: SeedFile = { ...seedWithCodes(), userTrackingCodes: [{ email: 'HOST@example.com', name: 'Department', value: 'Engineering' }, { email: 'host@example.com', name: 'project', value: 'Zeus' }] };
    const e = await emulator({ seed });
    const options = (items: { name: string; options: unknown[] }[], name: string) => items.find((c) => c.name === name)!.options;
    const own = (await call(e, 'GET', '/meetings/trackingCodes?service=MeetingCenter')).body.items;
    expect(options(own, 'Department')).toEqual([{ value: 'Engineering', defaultValue: true }, { value: 'Design', defaultValue: false }]);
    // A value the site does not offer is added as the default option.
    expect(options(own, 'Project')).toEqual([{ value: 'Zeus', defaultValue: true }]);
    // Another host, named by the admin, sees the site's options.
    const other = (await call(e, 'GET', '/meetings/trackingCodes?service=MeetingCenter&hostEmail=alice%40example.com')).body.items;
    expect(options(other, 'Department')).toEqual([{ value: 'Engineering', defaultValue: false }, { value: 'Design', defaultValue: true }]);
    // A write that leaves the codes out gets the host's own defaults.
    expect((await patch(e, BOARD, { trackingCodes: [] })).body.trackingCodes).toEqual([
      { name: 'Department', value: 'Engineering' },
      { name: 'Project', value: 'Zeus' },
    ]);
  });

  test('PatchMeetingObject.trackingCodes: a select code takes "one of the site-level options or the user-level value"', async () => {
    const seed: SeedFile = {
      ...seedWithCodes(),
      trackingCodes: [{ name: 'Department', inputMode: 'select', type: 'optional', options: [{ value: 'Engineering' }, { value: 'Design', defaultValue: true }] }],
      userTrackingCodes: [{ email: 'host@example.com', name: 'Department', value: 'Research' }],
    };
    const e = await emulator({ seed });
    expect((await patch(e, BOARD, { trackingCodes: [{ name: 'Department', value: 'Research' }] })).status).toBe(200);
    expect((await patch(e, BOARD, { trackingCodes: [{ name: 'Department', value: 'Design' }] })).status).toBe(200);
    const other = await patch(e, BOARD, { trackingCodes: [{ name: 'Department', value: 'Marketing' }] });
    expect(other.status).toBe(400);
    expect(messages(other)).toMatch(/must be one of 'Engineering', 'Design', 'Research'/);
  });

  test('a seed\'s user-level code must name a site code', async () => {
    await expect(emulator({ seed: { ...seedWithCodes(), userTrackingCodes: [{ email: 'host@example.com', name: 'Region', value: 'EU' }] } })).rejects.toThrow(/no site tracking code is named Region/);
  });
});
