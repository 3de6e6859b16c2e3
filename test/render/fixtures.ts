/** Plans and apply reports as plain data, shaped like the ones the Webex provider produces. */
import { makePlan, type Change, type Plan } from '../../core/plan.js';
import { FIELD_BY_NAME } from '../../meetings/catalogue.js';
import { countOutcomes, type ApplyReport, type ChangeOutcome } from '../../core/report.js';
import { error, sortDiagnostics, warning, type Diagnostic } from '../../core/diagnostics.js';

export const NOW = new Date('2027-03-01T08:00:00.000Z');
export const BASE_URL = 'http://127.0.0.1:4010/v1';
export const SERIES = '1d824a4a205042eba9574e00b711b226';
export const OCCURRENCE = `${SERIES}_20270316T080000Z`;
/** The note a plan of files that declare `timezone` carries (made in meetings/, passed to makePlan). */
export const TIMEZONE_NOTE = FIELD_BY_NAME.get('timezone')!.unrevealed!.note(3);

export function change(partial: Partial<Change> & Pick<Change, 'id' | 'file'>): Change {
  return {
    kind: 'series',
    action: 'update',
    patch: {},
    before: {},
    fingerprint: `sha256:${'0'.repeat(64)}`,
    warnings: [],
    order: 0,
    ...partial,
  };
}

export function noops(count: number): Change[] {
  return Array.from({ length: count }, (_, i) =>
    change({ id: `noop${String(i).padStart(28, '0')}`, file: `meetings/team/meeting-${String(i).padStart(2, '0')}.yaml`, action: 'noop', label: `Team meeting ${i}` }),
  );
}

export function samplePlan(overrides: { sendEmail?: boolean } = {}): Plan {
  const changes: Change[] = [
    change({
      id: SERIES,
      file: 'meetings/sales/weekly-sales-sync.yaml',
      label: 'Weekly Sales Sync',
      patch: {
        title: 'Weekly Sales Sync',
        meetingOptions: { enabledChat: false },
        agenda: 'Pipeline review',
        trackingCodes: null,
        password: '${env:SALES_SYNC_PASSWORD}',
      },
      before: {
        title: 'Sales Sync',
        meetingOptions: { enabledChat: true },
        trackingCodes: [{ name: 'Dept', value: 'Sales' }],
        password: '(sensitive)',
      },
      sensitive: ['password'],
      warnings: [`changing start cancels 2 modified occurrences: ${SERIES}_20270316T080000Z, ${SERIES}_20270323T080000Z`],
    }),
    change({
      id: OCCURRENCE,
      kind: 'scheduledMeeting',
      file: 'meetings/sales/weekly-sales-sync.yaml',
      label: 'Weekly Sales Sync (Q1 review)',
      order: 1,
      dependsOn: SERIES,
      patch: { end: '2027-03-16T09:00:00Z' },
      before: { end: '2027-03-16T08:30:00Z' },
      fingerprint: '',
    }),
    change({
      id: '9c3e5d1f0a2b4c6d8e0f1a2b3c4d5e6f',
      file: 'meetings/x.yaml',
      label: 'All hands',
      action: 'notUpdatable',
      reason: 'the meeting is in progress',
      patch: { title: 'All hands (new)' },
      before: { title: 'All hands' },
    }),
    change({
      id: '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a',
      file: 'meetings/y.yaml',
      action: 'error',
      reason: 'meeting series 7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a was not found (404)',
    }),
    ...noops(40),
  ];
  return makePlan({ baseUrl: BASE_URL, controls: { sendEmail: overrides.sendEmail ?? false }, changes, notes: [TIMEZONE_NOTE], now: NOW });
}

export function emptyPlan(): Plan {
  return makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, changes: noops(3), now: NOW });
}

/** `count` meetings that each change a title and an agenda, in files that sort in creation order. */
export function giantPlan(count: number): Plan {
  const changes = Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(4, '0');
    return change({
      id: `${n}${'a'.repeat(28)}`,
      file: `meetings/bulk/meeting-${n}.yaml`,
      label: `Bulk meeting ${n}`,
      patch: { title: `Bulk meeting ${n} (renamed)`, agenda: `Agenda ${n}`, meetingOptions: { enabledChat: false } },
      before: { title: `Bulk meeting ${n}`, meetingOptions: { enabledChat: true } },
    });
  });
  return makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, changes, now: NOW });
}

/** What the sample plan's series change sent, as the executor records it: the password masked. */
export const SALES_SENT: Pick<ChangeOutcome, 'patch' | 'sensitive'> = {
  patch: { title: 'Weekly Sales Sync', meetingOptions: { enabledChat: false }, agenda: 'Pipeline review', trackingCodes: null, password: '(sensitive)' },
  sensitive: ['password'],
};

function outcome(partial: Partial<ChangeOutcome> & Pick<ChangeOutcome, 'id' | 'status'>): ChangeOutcome {
  return { kind: 'series', action: 'update', file: 'meetings/sales/weekly-sales-sync.yaml', attempts: 1, warnings: [], ...partial };
}

export function sampleReport(overrides: { interrupted?: boolean; sendEmail?: boolean } = {}): ApplyReport {
  const outcomes: ChangeOutcome[] = [
    outcome({
      id: SERIES,
      label: 'Weekly Sales Sync',
      status: 'applied',
      ...SALES_SENT,
      warnings: ['start: the server stored "2027-03-02T08:01:00Z" instead of "2027-03-02T08:00:30Z"; the next plan will show it'],
    }),
    outcome({ id: OCCURRENCE, kind: 'scheduledMeeting', label: 'Weekly Sales Sync (Q1 review)', status: 'applied', attempts: 2, patch: { end: '2027-03-16T09:00:00Z' } }),
    outcome({ id: 'noop0000000000000000000000000000', file: 'meetings/team/meeting-00.yaml', status: 'unchanged', attempts: 0 }),
    outcome({
      id: 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0',
      file: 'meetings/eng/standup.yaml',
      label: 'Standup',
      status: 'failed',
      message: 'joinBeforeHostMinutes must be 0, 5, 10 or 15',
      httpStatus: 400,
      trackingId: 'ROUTER_5F3A9C1E-0000-1111-2222-333344445555',
    }),
    outcome({
      id: 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1',
      file: 'meetings/eng/retro.yaml',
      label: 'Retro',
      status: 'failed',
      message: 'service unavailable; retries exhausted',
      httpStatus: 503,
      trackingId: 'ROUTER_AAAA',
      attempts: 4,
    }),
    outcome({
      id: 'd2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2',
      file: 'meetings/eng/planning.yaml',
      label: 'Planning',
      status: 'stale',
      message: 'the meeting changed since the plan was made (title): run meetctl plan again',
      attempts: 0,
    }),
    outcome({
      id: '9c3e5d1f0a2b4c6d8e0f1a2b3c4d5e6f',
      file: 'meetings/x.yaml',
      label: 'All hands',
      status: 'notUpdatable',
      message: 'the meeting is in progress',
      attempts: 0,
    }),
    outcome({
      id: `b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0_20270316T080000Z`,
      kind: 'scheduledMeeting',
      file: 'meetings/eng/standup.yaml',
      status: 'skipped',
      message: 'its series b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0 failed',
      attempts: 0,
    }),
  ];
  return {
    baseUrl: BASE_URL,
    startedAt: '2027-03-01T08:00:00.000Z',
    finishedAt: '2027-03-01T08:00:03.250Z',
    interrupted: overrides.interrupted ?? false,
    controls: { sendEmail: overrides.sendEmail ?? false },
    outcomes,
    counts: countOutcomes(outcomes),
  };
}

export function cleanReport(): ApplyReport {
  const outcomes = [outcome({ id: SERIES, label: 'Weekly Sales Sync', status: 'applied' })];
  return { ...sampleReport(), controls: { sendEmail: true }, outcomes, counts: countOutcomes(outcomes) };
}

export function interruptedReport(): ApplyReport {
  const outcomes = [
    outcome({ id: SERIES, label: 'Weekly Sales Sync', status: 'applied', ...SALES_SENT }),
    outcome({ id: OCCURRENCE, kind: 'scheduledMeeting', status: 'skipped', message: 'apply was interrupted before this change was sent', attempts: 0 }),
  ];
  return { ...sampleReport(), interrupted: true, outcomes, counts: countOutcomes(outcomes) };
}

/**
 * A defaults change that reached `count` meetings identically (reminderTime 15 → 10, one a
 * scheduled meeting after its series), a password set to one reference in 3 meetings, and two
 * changes of their own, one of which looks the same as the group but for a different warning.
 */
export function groupedPlan(count: number): Plan {
  const n = (i: number) => String(i).padStart(4, '0');
  const reminder = Array.from({ length: count }, (_, i) =>
    change({
      id: `${n(i)}${'b'.repeat(28)}`,
      file: `meetings/team/meeting-${n(i)}.yaml`,
      label: `Team meeting ${n(i)}`,
      patch: { reminderTime: 10 },
      before: { reminderTime: 15 },
    }),
  );
  reminder[1] = { ...reminder[1], kind: 'scheduledMeeting', id: `${SERIES}_20270316T080000Z`, dependsOn: SERIES, order: 1 };
  const secret = ['a', 'b', 'c'].map((x) =>
    change({
      id: x.repeat(32),
      file: `meetings/sales/${x}.yaml`,
      label: `Sales ${x}`,
      patch: { password: '${env:SALES_PASSWORD}', agenda: 'Pipeline' },
      before: { password: '(sensitive)' },
      sensitive: ['password'],
    }),
  );
  const own = [
    change({ id: 'e'.repeat(32), file: 'meetings/eng/retro.yaml', label: 'Retro', patch: { title: 'Retro (new)' }, before: { title: 'Retro' } }),
    change({
      id: 'f'.repeat(32),
      file: 'meetings/eng/standup.yaml',
      label: 'Standup',
      patch: { reminderTime: 10 },
      before: { reminderTime: 15 },
      warnings: ['start: Webex rounds the start to the minute'],
    }),
  ];
  // Another password reference: not the same change as the three above, though it prints the same.
  const otherSecret = change({
    id: 'd'.repeat(32),
    file: 'meetings/sales/d.yaml',
    label: 'Sales d',
    patch: { password: '${env:OTHER_PASSWORD}', agenda: 'Pipeline' },
    before: { password: '(sensitive)' },
    sensitive: ['password'],
  });
  return makePlan({ baseUrl: BASE_URL, controls: { sendEmail: false }, changes: [...own, ...secret, otherSecret, ...reminder, ...noops(2)], now: NOW });
}

/** Problems of a tree that does not validate, as loadDesiredState reports them, sorted. */
export const DIAGNOSTICS: Diagnostic[] = sortDiagnostics([
  error('schema.unknownField', "unknown field 'durationMinutes'", { file: 'meetings/sales/defaults.yaml', line: 8, col: 1, field: 'durationMinutes' }),
  error('rule.durationTooShort', 'the meeting must last at least 10 minutes', { file: 'meetings/eng/standup.yaml', line: 4, col: 6, field: 'end' }),
  warning('yaml.duplicateKey', 'title is set twice; the last one wins', { file: 'meetings/eng/standup.yaml', line: 2, col: 1 }),
  error('load.noDirectory', 'directory meetings/missing does not exist', { file: 'meetings/missing' }),
]);

/** The Webex provider's words (nouns, the cancel of a scheduled meeting, the email sentences), as the CLI passes them (cli/output.ts). */
import { webexProvider } from '../../meetings/provider.js';
export const WORDS = webexProvider.words;

export const CREATED = '5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c';
export const PRUNED = '6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d';

/**
 * The lifecycle's three actions in one plan: a keyed file creates its series (with a password
 * reference), the sales series is updated and one of its occurrences cancelled, an owned series
 * no file declares is pruned, and one more is listed as an orphan (all three shapes in one plan,
 * for the renderers; the Webex planner gives either prune deletes or orphans).
 */
export function lifecyclePlan(): Plan {
  const changes: Change[] = [
    change({
      id: 'new:eng-planning',
      key: 'eng-planning',
      action: 'create',
      file: 'meetings/eng/planning.yaml',
      label: 'Eng planning',
      patch: {
        title: 'Eng planning',
        start: '2027-04-01T09:00:00+02:00',
        end: '2027-04-01T10:00:00+02:00',
        meetingOptions: { enabledChat: false },
        password: '${env:ENG_PLANNING_PASSWORD}',
        integrationTags: ['meetctl:eng-planning'],
      },
      before: {},
      fingerprint: '',
      sensitive: ['password'],
    }),
    change({
      id: SERIES,
      key: 'weekly-sales-sync',
      file: 'meetings/sales/weekly-sales-sync.yaml',
      label: 'Weekly Sales Sync',
      patch: { agenda: 'Pipeline review' },
      before: {},
    }),
    change({
      id: `${SERIES}_20270323T080000Z`,
      key: 'weekly-sales-sync',
      kind: 'scheduledMeeting',
      action: 'delete',
      file: 'meetings/sales/weekly-sales-sync.yaml',
      label: 'Weekly Sales Sync',
      order: 1,
      dependsOn: SERIES,
    }),
    change({ id: PRUNED, key: 'old-retro', action: 'delete', prune: true, file: '', label: 'Old retro' }),
    ...noops(3),
  ];
  return makePlan({
    baseUrl: BASE_URL,
    controls: { sendEmail: false },
    changes,
    orphans: [{ id: '7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e', key: 'old-standup', label: 'Old standup' }],
    owned: 12,
    now: NOW,
  });
}

/** What apply did with the lifecycle plan: created, updated, cancelled and deleted. */
export function lifecycleReport(): ApplyReport {
  const outcomes: ChangeOutcome[] = [
    outcome({
      id: 'new:eng-planning',
      key: 'eng-planning',
      action: 'create',
      createdId: CREATED,
      file: 'meetings/eng/planning.yaml',
      label: 'Eng planning',
      status: 'applied',
      patch: { title: 'Eng planning', start: '2027-04-01T09:00:00+02:00', password: '(sensitive)' },
      sensitive: ['password'],
    }),
    outcome({ id: SERIES, key: 'weekly-sales-sync', label: 'Weekly Sales Sync', status: 'applied', patch: { agenda: 'Pipeline review' } }),
    outcome({ id: `${SERIES}_20270323T080000Z`, key: 'weekly-sales-sync', kind: 'scheduledMeeting', action: 'delete', label: 'Weekly Sales Sync', status: 'applied', patch: {} }),
    outcome({ id: PRUNED, key: 'old-retro', action: 'delete', file: '', label: 'Old retro', status: 'applied', patch: {} }),
  ];
  return { ...sampleReport(), outcomes, counts: countOutcomes(outcomes) };
}
