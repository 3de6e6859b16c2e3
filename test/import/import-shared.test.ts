import { describe, expect, test } from 'vitest';
import { hasEnded } from '../../meetings/import/ended.js';
import type { FileContent } from '../../meetings/import/guard.js';
import { splitShared } from '../../meetings/import/shared.js';

const content = (id: string, hostEmail: string | undefined, fields: FileContent['fields']): FileContent => ({ id, hostEmail, fields, occurrences: [] });

describe('splitShared', () => {
  test('takes what every series holds alike, objects member by member, and leaves the rest in the files', () => {
    const a = content('a', 'h@example.com', { title: 'A', timezone: 'UTC', reminderTime: 10, meetingOptions: { enabledChat: true, enabledVideo: false }, integrationTags: ['X'] });
    const b = content('b', 'h@example.com', { title: 'B', timezone: 'UTC', reminderTime: 15, meetingOptions: { enabledChat: true, enabledVideo: true }, integrationTags: ['X'] });
    const { shared, contents } = splitShared([a, b], 'defaults.yaml');
    expect(shared).toEqual({ hostEmail: 'h@example.com', timezone: 'UTC', meetingOptions: { enabledChat: true }, integrationTags: ['X'] });
    expect(contents).toEqual([
      content('a', undefined, { title: 'A', reminderTime: 10, meetingOptions: { enabledVideo: false } }),
      content('b', undefined, { title: 'B', reminderTime: 15, meetingOptions: { enabledVideo: true } }),
    ]);
  });

  test('a value one series lacks is not shared; a single series shares nothing', () => {
    const a = content('a', 'h@example.com', { timezone: 'UTC', publicMeeting: false });
    const b = content('b', 'k@example.com', { timezone: 'UTC' });
    expect(splitShared([a, b], 'defaults.yaml').shared).toEqual({ timezone: 'UTC' });
    expect(splitShared([a], 'defaults.yaml')).toEqual({ shared: {}, contents: [a] });
  });
});

describe('hasEnded', () => {
  const now = Date.parse('2027-02-10T00:00:00Z');
  const series = (extra: Record<string, unknown>) => ({ id: 's', start: '2027-01-18T10:00:00Z', end: '2027-01-18T10:30:00Z', ...extra });
  test('by the series\' own times when the state does not say so; an open-ended rule never ends', () => {
    expect(hasEnded(series({}), now, 'UTC')).toBe(true);
    expect(hasEnded(series({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=3' }), now, 'UTC')).toBe(true);
    // MeetingSeriesObject.state active: "one or more future scheduled meetings exist"; Webex knows the zone the rule is laid out in.
    expect(hasEnded(series({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=3', state: 'active' }), now, 'UTC')).toBe(false);
    expect(hasEnded(series({ state: 'inProgress' }), now, 'UTC')).toBe(false);
    expect(hasEnded(series({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=5' }), now, 'UTC')).toBe(false); // the 5th is on 15 February
    expect(hasEnded(series({ recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;UNTIL=20270201T235959Z' }), now, 'UTC')).toBe(true);
    expect(hasEnded(series({ recurrence: 'FREQ=DAILY;INTERVAL=1' }), now, 'UTC')).toBe(false);
    expect(hasEnded(series({ start: '2027-03-01T10:00:00Z', end: '2027-03-01T11:00:00Z', state: 'expired' }), now, 'UTC')).toBe(true);
  });
});
