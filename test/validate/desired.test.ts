import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { loadDesiredState } from '../../meetings/desired.js';
import { EXAMPLES, tempDir, writeTree } from '../support/cli.js';

const SERIES = 'id: abc123\ntitle: Team sync\ntimezone: Europe/Berlin\nstart: 2027-03-02T09:00:00+01:00\nend: 2027-03-02T09:30:00+01:00\n';

describe('examples/meetings', () => {
  it('validates clean and yields its three meetings, merged with their defaults', async () => {
    const { meetings, diagnostics } = await loadDesiredState(EXAMPLES);
    expect(diagnostics).toEqual([]);
    expect(meetings.map((m) => m.id).sort()).toEqual([
      '1d824a4a205042eba9574e00b711b226',
      '4a2f7c9e8b1d4e6fa3c5b7d9e1f2a3b4',
      '9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c',
    ]);
    const sales = meetings.find((m) => m.id === '1d824a4a205042eba9574e00b711b226')!;
    expect(sales.file).toBe(join(EXAMPLES, 'sales/weekly-sales-sync.yaml'));
    expect(sales.fields).toMatchObject({
      password: '${env:SALES_SYNC_PASSWORD}',
      unlockedMeetingJoinSecurity: 'allowJoinWithLobby',
      meetingOptions: { enabledChat: false, enabledVideo: true },
      trackingCodes: [{ name: 'Department', value: 'Sales' }],
    });
    expect(sales.fields).not.toHaveProperty('id');
    expect(sales.fields).not.toHaveProperty('occurrences');
    expect(sales.occurrences).toEqual([
      {
        id: '1d824a4a205042eba9574e00b711b226_20270316T080000Z',
        fields: { title: 'Weekly Sales Sync (Q1 review)', end: '2027-03-16T10:00:00+01:00' },
      },
    ]);
    expect(sales.locate(['trackingCodes'])).toMatchObject({ file: join(EXAMPLES, 'sales/defaults.yaml') });
  });
});

describe('one bad file among good ones', () => {
  it('reports only the bad file and still checks and returns the others', async () => {
    const dir = writeTree(tempDir(), {
      'a-good.yaml': SERIES,
      'b-bad.yaml': 'id: bad1\nmeetingNumber: "1"\n',
      'c-good.yaml': SERIES.replace('abc123', 'def456'),
      'd-rule.yaml': SERIES.replace('abc123', 'ghi789').replace('09:30:00', '09:05:00'),
    });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => [d.file, d.code])).toEqual([
      [join(dir, 'b-bad.yaml'), 'schema.unknownField'],
      [join(dir, 'd-rule.yaml'), 'rule.durationTooShort'],
    ]);
    expect(meetings.map((m) => m.id)).toEqual(['abc123', 'def456']);
  });
});

describe('rules across files', () => {
  it('an id declared twice is an error in both files, naming the other', async () => {
    const dir = writeTree(tempDir(), {
      'one.yaml': SERIES,
      'team/two.yaml': `# copy\n${SERIES}`,
      'three.yaml': 'id: xyz1\noccurrences:\n  - id: xyz1_20270302T080000Z\n  - id: xyz1_20270302T080000Z\n',
    });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'one.yaml')}:1:5: meeting abc123 is also declared at ${join(dir, 'team/two.yaml')}:2 (id)`,
      `${join(dir, 'team/two.yaml')}:2:5: meeting abc123 is also declared at ${join(dir, 'one.yaml')}:1 (id)`,
      `${join(dir, 'three.yaml')}:3:9: meeting xyz1_20270302T080000Z is also declared at line 4 of this file (occurrences[0].id)`,
      `${join(dir, 'three.yaml')}:4:9: meeting xyz1_20270302T080000Z is also declared at line 3 of this file (occurrences[1].id)`,
    ]);
    expect(meetings).toEqual([]);
  });

  it('a key declared in two files, and one original start named twice in a file, are errors at each declaration', async () => {
    const KEYED = 'key: team-sync\ntitle: Team sync\nstart: 2027-03-02T09:00:00+01:00\nend: 2027-03-02T09:30:00+01:00\n';
    const dir = writeTree(tempDir(), {
      'a.yaml': KEYED,
      'b.yaml': `# copy\n${KEYED}`,
      'c.yaml': 'id: xyz1\noccurrences:\n  - id: xyz1_20270302T080000Z\n  - at: 2027-03-02T09:00:00+01:00\n  - at: 2027-03-09T08:00:00Z\n  - at: 2027-03-09T09:00:00+01:00\n',
    });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'a.yaml')}:1:6: key team-sync is also declared at ${join(dir, 'b.yaml')}:2 (key)`,
      `${join(dir, 'b.yaml')}:2:6: key team-sync is also declared at ${join(dir, 'a.yaml')}:1 (key)`,
      `${join(dir, 'c.yaml')}:3:9: the scheduled meeting of 2027-03-02T08:00:00Z is also named at line 4 of this file (occurrences[0].id)`,
      `${join(dir, 'c.yaml')}:4:9: the scheduled meeting of 2027-03-02T08:00:00Z is also named at line 3 of this file (occurrences[1].at)`,
      `${join(dir, 'c.yaml')}:5:9: the scheduled meeting of 2027-03-09T08:00:00Z is also named at line 6 of this file (occurrences[2].at)`,
      `${join(dir, 'c.yaml')}:6:9: the scheduled meeting of 2027-03-09T08:00:00Z is also named at line 5 of this file (occurrences[3].at)`,
    ]);
    expect(meetings).toEqual([]);
  });

  it('a key that is another file\'s id is refused too: meetctl names a file by its key, else its id', async () => {
    const dir = writeTree(tempDir(), {
      'a.yaml': 'key: abc123\ntitle: Team sync\nstart: 2027-03-02T09:00:00+01:00\nend: 2027-03-02T09:30:00+01:00\n',
      'b.yaml': 'id: abc123\n',
    });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.field])).toEqual([
      ['rule.duplicateKey', join(dir, 'a.yaml'), 1, 'key'],
      ['rule.duplicateKey', join(dir, 'b.yaml'), 1, 'id'],
    ]);
  });

  it('a file with key: and no id: may take title, start and end from its defaults', async () => {
    const dir = writeTree(tempDir(), {
      'defaults.yaml': 'timezone: Europe/Berlin\nstart: 2027-03-02T09:00:00\nend: 2027-03-02T09:30:00\n',
      'a.yaml': 'key: team-a\ntitle: Team A\n',
      'b.yaml': 'key: team-b\n',
    });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'b.yaml')}:1:1: key: without id: creates the meeting, so it needs title (in this file or its defaults) (key)`,
    ]);
    expect(meetings.map((m) => m.file)).toEqual([join(dir, 'a.yaml')]);
  });

  it('a defaults file that declares key: is told that key belongs in a meeting file', async () => {
    const dir = writeTree(tempDir(), { 'defaults.yaml': 'key: team\n', 'm.yaml': SERIES });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'defaults.yaml')}:1:1: unknown field 'key' (a defaults file applies to many meetings; key belongs in a meeting file) (key)`,
    ]);
  });

  it('did-you-mean knows key at the top level and at and cancelled in an occurrence', async () => {
    const dir = writeTree(tempDir(), {
      'm.yaml': 'id: abc123\nkeys: team\noccurrences:\n  - att: 2027-03-02T09:00:00+01:00\n    canceled: true\n',
    });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        "unknown field 'keys' (did you mean 'key'?)",
        "unknown field 'att' (did you mean 'at'?)",
        "unknown field 'canceled' (did you mean 'cancelled'?)",
      ]),
    );
  });

  it('did-you-mean is not offered for a name too short to be a typo of the suggestion', async () => {
    const dir = writeTree(tempDir(), {
      'm.yaml': `${SERIES}'': 5\n'1': x\nab: y\nId: z\nttle: w\n`,
    });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "unknown field '1'",
      "unknown field ''",
      "unknown field 'ab'",
      "unknown field 'Id' (did you mean 'id'?)",
      "unknown field 'ttle' (did you mean 'title'?)",
    ]);
  });

  it('a line indented with no-break spaces (copied from a web page) is refused, whatever else the file holds, and the spaces are shown', async () => {
    // The fast path for plain YAML used to trim them as spaces and plan the nested value; a comment
    // elsewhere in the file sent it to the full parser, which refuses it.
    const body = 'meetingOptions:\n\u00a0\u00a0enabledChat: false\n';
    const dir = writeTree(tempDir(), { 'plain.yaml': `id: abc123\n${body}`, 'commented.yaml': `id: abc124 # the series\n${body}` });
    const { diagnostics, meetings } = await loadDesiredState(dir);
    expect(meetings).toEqual([]);
    for (const file of ['commented.yaml', 'plain.yaml']) {
      expect(diagnostics.filter((d) => d.file === join(dir, file)).map(formatDiagnostic).sort()).toEqual([
        `${join(dir, file)}:2:1: must be a mapping, not null (meetingOptions)`,
        `${join(dir, file)}:3:1: unknown field '\\u00a0\\u00a0enabledChat' (it holds a space YAML does not indent with, such as a no-break space: retype it with plain spaces) (\\u00a0\\u00a0enabledChat)`,
      ]);
    }
  });

  it('a YAML 1.1 timestamp and a !!binary value are called what they are, not a mapping', async () => {
    const dir = writeTree(tempDir(), { 'm.yaml': '%YAML 1.1\n---\nid: abc123\nstart: 2027-03-02T09:00:00Z\ntitle: !!binary aGVsbG8=\n' });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => `${d.message} (${d.field})`).sort()).toEqual(['must be a string, not a timestamp (start)', 'must be a string, not binary data (title)']);
  });

  it('a switch turned off in a defaults file counts, and the message says where', async () => {
    const dir = writeTree(tempDir(), {
      'defaults.yaml': 'enabledJoinBeforeHost: false\n',
      'm.yaml': 'id: abc123\njoinBeforeHostMinutes: 5\n',
      'n.yaml': 'id: def456\nenabledJoinBeforeHost: true\njoinBeforeHostMinutes: 5\n',
    });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'rule.joinMinutesNeedJoinBeforeHost',
        file: join(dir, 'm.yaml'),
        line: 2,
        col: 24,
        field: 'joinBeforeHostMinutes',
        message: `joinBeforeHostMinutes needs enabledJoinBeforeHost: true, but enabledJoinBeforeHost is false (${join(dir, 'defaults.yaml')}:1)`,
      }),
    ]);
    expect(meetings.map((m) => m.id)).toEqual(['def456']);
  });

  it('a switch the files leave out is not assumed off (live state decides)', async () => {
    const dir = writeTree(tempDir(), { 'm.yaml': 'id: abc123\njoinBeforeHostMinutes: 5\nenableConnectAudioBeforeHost: true\nvisualWatermarkOpacity: 30\n' });
    expect((await loadDesiredState(dir)).diagnostics).toEqual([]);
  });

  it('a defaults file with errors keeps the meetings below it out, and says why', async () => {
    const dir = writeTree(tempDir(), {
      'team/defaults.yaml': 'id: abc\ntitle: x\n',
      'team/m.yaml': SERIES,
      'other.yaml': SERIES.replace('abc123', 'def456'),
    });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `${join(dir, 'team/defaults.yaml')}:1:1: unknown field 'id' (a defaults file applies to many meetings; id belongs in a meeting file) (id)`,
    ]);
    expect(meetings.map((m) => m.id)).toEqual(['def456']);
  });

  it('a webinar option from defaults and attendee privileges in the file contradict each other', async () => {
    const dir = writeTree(tempDir(), {
      'defaults.yaml': 'requireAttendeeLogin: true\n',
      'm.yaml': 'id: abc123\nattendeePrivileges:\n  enabledChatHost: true\n',
    });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'rule.webinarAndMeeting', file: join(dir, 'm.yaml'), line: 2, col: 1 });
    expect(diagnostics[0].message).toContain(`requireAttendeeLogin: true (${join(dir, 'defaults.yaml')}:1)`);
  });

  it('an occurrence on a real date of the rule passes; an occurrence of a DST week keeps the wall clock', async () => {
    const dir = writeTree(tempDir(), {
      'm.yaml': `${SERIES}recurrence: FREQ=WEEKLY;BYDAY=TU;COUNT=10\noccurrences:\n  - id: abc123_20270316T080000Z\n    title: Q1\n  - id: abc123_20270330T070000Z\n    title: after DST\n  - id: abc123_20270330T080000Z\n    title: wrong hour\n`,
    });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => [d.code, d.field])).toEqual([['rule.notAnOccurrence', 'occurrences[2].id']]);
  });

  it('a MONTHLY rule with several BYDAY values is a warning, not an error', async () => {
    const dir = writeTree(tempDir(), { 'm.yaml': `${SERIES}recurrence: FREQ=MONTHLY;BYDAY=1TU,3TU;COUNT=6\n` });
    const { meetings, diagnostics } = await loadDesiredState(dir);
    expect(diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([['warning', 'rule.recurrenceFirstOnly', 6]]);
    expect(meetings).toHaveLength(1);
  });

  it('an occurrence giving only an end is measured from its original start', async () => {
    const dir = writeTree(tempDir(), {
      'm.yaml': 'id: abc123\noccurrences:\n  - id: abc123_20270316T080000Z\n    end: 2027-03-17T08:30:00Z\n',
    });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'rule.durationTooLong', line: 4, col: 10, field: 'occurrences[0].end' }),
    ]);
  });
});

describe('secrets in diagnostics', () => {
  it('a literal password is refused without being echoed', async () => {
    const dir = writeTree(tempDir(), { 'm.yaml': 'id: abc123\npassword: Sup3r-Secret!\n' });
    const { diagnostics } = await loadDesiredState(dir);
    expect(diagnostics).toHaveLength(1);
    expect(JSON.stringify(diagnostics)).not.toContain('Sup3r-Secret');
  });
});

describe('schema errors do not hide rule errors', () => {
  it('one run reports a wrong type and a contradiction between two other fields of the same file', async () => {
    const dir = writeTree(tempDir(), {
      'a.yaml': `${SERIES}agenda: 42\nenabledJoinBeforeHost: false\njoinBeforeHostMinutes: 5\n`,
    });
    const r = await loadDesiredState(dir);
    const found = r.diagnostics.map((d) => [d.code, d.line, d.field]);
    expect(found).toContainEqual(['schema.type', 6, 'agenda']);
    expect(found).toContainEqual(['rule.joinMinutesNeedJoinBeforeHost', 8, 'joinBeforeHostMinutes']);
    expect(r.meetings).toEqual([]);
  });

  it('a value the schema refused is not judged again by the rules', async () => {
    // `end` is a number: one schema error, and no time or duration rule about it.
    const dir = writeTree(tempDir(), { 'a.yaml': 'id: abc123\ntimezone: Europe/Berlin\nstart: 2027-03-02T09:00:00+01:00\nend: 930\n' });
    const r = await loadDesiredState(dir);
    expect(r.diagnostics.map((d) => [d.code, d.field])).toEqual([['schema.type', 'end']]);
  });

  it('an invalid occurrence keeps the positions of the others', async () => {
    const dir = writeTree(tempDir(), {
      'a.yaml': `${SERIES}recurrence: FREQ=WEEKLY;BYDAY=TU;COUNT=10\noccurrences:\n  - 17\n  - id: abc123_20270309T080000Z\n    end: 2027-03-09T09:05:00+01:00\n`,
    });
    const r = await loadDesiredState(dir);
    const found = r.diagnostics.map((d) => [d.code, d.line, d.field]);
    expect(found).toContainEqual(['schema.type', 8, 'occurrences[0]']);
    expect(found).toContainEqual(['rule.durationTooShort', 10, 'occurrences[1].end']);
  });

  it('a defaults file with a schema error still lends its valid settings to the rules below it', async () => {
    const dir = writeTree(tempDir(), {
      'defaults.yaml': 'enabledJoinBeforeHost: false\nagenda: [not, a, string]\n',
      'team/a.yaml': `${SERIES}joinBeforeHostMinutes: 10\n`,
    });
    const r = await loadDesiredState(dir);
    const found = r.diagnostics.map((d) => [d.code, d.file?.endsWith('defaults.yaml') ? 'defaults' : 'a', d.field]);
    expect(found).toContainEqual(['schema.type', 'defaults', 'agenda']);
    expect(found).toContainEqual(['rule.joinMinutesNeedJoinBeforeHost', 'a', 'joinBeforeHostMinutes']);
    expect(r.meetings).toEqual([]);
  });
});
