/**
 * The catalogue's cross-field rules (webinar-only, not for a webinar, values one kind accepts,
 * values that need their switch), one row each, as validate and the planner apply them.
 */
import { describe, expect, test } from 'vitest';
import type { ResolvedDocument } from '../../core/load.js';
import type { Meeting } from '../../meetings/client.js';
import { liveStateProblems } from '../../meetings/live-rules.js';
import { checkDocumentRules } from '../../meetings/rules.js';

const ID = '1d824a4a205042eba9574e00b711b226';

function nest(path: string, value: unknown, into: Record<string, unknown> = {}): Record<string, unknown> {
  const parts = path.split('.');
  let node = into;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
  return into;
}

function doc(data: Record<string, unknown>): ResolvedDocument {
  return { file: 'm.yaml', relPath: 'm.yaml', data: { id: ID, ...data }, defaults: [], locate: () => ({ file: 'm.yaml', line: 1, col: 1 }), declares: () => true };
}

function live(scheduledType: 'meeting' | 'webinar', extra: Record<string, unknown> = {}): Meeting {
  // Every switch on, so that only the kind rules speak.
  return { id: ID, meetingType: 'meetingSeries', scheduledType, enabledJoinBeforeHost: true, requireAttendeeLogin: true, ...extra };
}

describe('values that confine a meeting to one kind', () => {
  // [field, value, the one kind that accepts it (undefined: both)]
  const rows: [string, unknown, 'meeting' | 'webinar' | undefined][] = [
    ['requireAttendeeLogin', true, 'webinar'],
    ['requireAttendeeLogin', false, undefined],
    ['restrictToInvitees', true, 'webinar'],
    ['restrictToInvitees', false, undefined],
    ['panelistPassword', '${env:PANEL_PW}', 'webinar'],
    ['meetingOptions.enabledPolling', true, 'webinar'],
    ['meetingOptions.enabledPolling', false, undefined],
    ['audioConnectionOptions.enabledAudienceCallBack', true, 'webinar'],
    ['attendeePrivileges', { enabledChatHost: true }, 'meeting'],
    ['joinBeforeHostMinutes', 30, 'webinar'],
    ['joinBeforeHostMinutes', 10, 'meeting'],
    ['joinBeforeHostMinutes', 15, undefined],
    ['meetingOptions.enabledChat', true, undefined],
  ];

  test.each(rows)('%s: %j plans on a meeting only if a meeting takes it', (field, value, only) => {
    const problems = liveStateProblems(nest(field, value), live('meeting')).map((p) => p.field);
    expect(problems).toEqual(only === 'webinar' ? [field] : []);
  });

  test.each(rows)('%s: %j plans on a webinar only if a webinar takes it', (field, value, only) => {
    const problems = liveStateProblems(nest(field, value), live('webinar')).map((p) => p.field);
    expect(problems).toEqual(only === 'meeting' ? [field] : []);
  });

  test.each(rows)('%s: %j in a file with settings of the other kind is refused by validate', (field, value, only) => {
    const other = only === 'meeting' ? nest('requireAttendeeLogin', true) : nest('attendeePrivileges', { enabledChatHost: true });
    const codes = checkDocumentRules(doc(nest(field, value, other))).map((d) => d.code);
    expect(codes.includes('rule.webinarAndMeeting')).toBe(only !== undefined);
  });

  test('the planner says which kind refuses the value', () => {
    expect(liveStateProblems({ panelistPassword: '${env:PW}' }, live('meeting'))[0].message).toBe(`panelistPassword applies to webinars only, and ${ID} is a meeting`);
    expect(liveStateProblems({ attendeePrivileges: {} }, live('webinar'))[0].message).toBe(`attendeePrivileges is not supported for a webinar, and ${ID} is a webinar`);
    expect(liveStateProblems({ joinBeforeHostMinutes: 45 }, live('meeting'))[0].message).toBe('joinBeforeHostMinutes must be one of 0, 5, 10, 15 for a meeting');
  });
});

describe('values that need their switch on', () => {
  // [field, value, its switch, validate's code (undefined: the value needs no switch)]
  const rows: [string, unknown, string, string | undefined][] = [
    ['enableConnectAudioBeforeHost', true, 'enabledJoinBeforeHost', 'rule.connectAudioNeedsJoinBeforeHost'],
    ['enableConnectAudioBeforeHost', false, 'enabledJoinBeforeHost', undefined],
    ['joinBeforeHostMinutes', 15, 'enabledJoinBeforeHost', 'rule.joinMinutesNeedJoinBeforeHost'],
    ['joinBeforeHostMinutes', 0, 'enabledJoinBeforeHost', undefined],
    ['meetingOptions.noteType', 'allowOne', 'meetingOptions.enabledNote', 'rule.noteTypeNeedsNote'],
    ['visualWatermarkOpacity', 20, 'enabledVisualWatermark', 'rule.opacityNeedsWatermark'],
    ['restrictToInvitees', true, 'requireAttendeeLogin', 'rule.restrictNeedsLogin'],
    ['liveStream', { destination: 'YouTube', rtmpUrl: 'rtmp://a.example/live', streamUrl: 'https://example.com/watch' }, 'enabledLiveStream', 'rule.liveStreamNeedsEnabled'],
  ];

  test.each(rows)('validate: %s: %j with %s: false', (field, value, switchField, code) => {
    const found = checkDocumentRules(doc(nest(field, value, nest(switchField, false)))).filter((d) => d.code !== 'rule.webinarAndMeeting');
    expect(found.map((d) => [d.code, d.field])).toEqual(code === undefined ? [] : [[code, field]]);
    if (code !== undefined) expect(found[0].message).toBe(`${field} needs ${switchField}: true, but ${switchField} is false (line 1)`);
  });

  test.each(rows)('validate: %s: %j with %s: true', (field, value, switchField) => {
    expect(checkDocumentRules(doc(nest(field, value, nest(switchField, true)))).filter((d) => d.code !== 'rule.webinarAndMeeting')).toEqual([]);
  });

  test.each(rows)('plan: %s: %j while the live %s is off and the file leaves it alone', (field, value, switchField, code) => {
    const meeting: Meeting = { id: ID, meetingType: 'meetingSeries', scheduledType: 'webinar' };
    nest(switchField, false, meeting);
    const problems = liveStateProblems(nest(field, value), meeting);
    expect(problems).toEqual(code === undefined ? [] : [{ field, message: `${field} needs ${switchField}: true` }]);
  });

  test.each(rows)('plan: %s: %j while the file turns %s on', (field, value, switchField) => {
    const meeting: Meeting = { id: ID, meetingType: 'meetingSeries', scheduledType: 'webinar' };
    expect(liveStateProblems(nest(field, value, nest(switchField, true)), meeting)).toEqual([]);
  });
});

describe('objects Webex takes whole', () => {
  const whole = { destination: 'YouTube', rtmpUrl: 'rtmp://a.example/live', streamUrl: 'https://example.com/watch' };

  test('validate: liveStream without one of the members a LiveStreamObject requires', () => {
    const found = checkDocumentRules(doc({ enabledLiveStream: true, liveStream: { resolution: '1080p', streamUrl: whole.streamUrl } }));
    expect(found.map((d) => [d.code, d.field, d.message])).toEqual([
      ['rule.wholeObject', 'liveStream', 'liveStream lacks destination, rtmpUrl: Webex takes liveStream whole, and every update must give destination, rtmpUrl, streamUrl'],
    ]);
    expect(checkDocumentRules(doc({ enabledLiveStream: true, liveStream: { ...whole, resolution: '1080p' } }))).toEqual([]);
  });
});
