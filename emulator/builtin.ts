/**
 * The built-in seed (the example repository's meetings as they might be before meetctl manages
 * them) and `generateSeed`, which makes any number of varied series for benchmarks and scale tests.
 */
import { DEFAULT_HOST, hexId } from './generated.js';
import { occurrenceId } from './model.js';
import { expandRule } from './recurrence.js';
import type { SeedFile, SeedMeeting } from './seed.js';
import { parseDateTime } from './time.js';

export const BUILTIN_NOW = '2027-01-15T09:00:00Z';

/** examples/meetings before meetctl: same ids, times and rules; some settings still differ. */
export function builtinSeed(): SeedFile {
  return {
    now: BUILTIN_NOW,
    meetings: [
      {
        id: '1d824a4a205042eba9574e00b711b226',
        title: 'Sales Sync',
        hostEmail: 'sales.lead@example.com',
        timezone: 'Europe/Berlin',
        start: '2027-03-02T09:00:00+01:00',
        end: '2027-03-02T09:30:00+01:00',
        recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=20',
        enabledJoinBeforeHost: false,
        joinBeforeHostMinutes: 0,
        integrationTags: [],
        meetingOptions: { enabledChat: true },
      },
      {
        id: '4a2f7c9e8b1d4e6fa3c5b7d9e1f2a3b4',
        title: 'Product Launch',
        hostEmail: 'marketing@example.com',
        scheduledType: 'webinar',
        timezone: 'America/New_York',
        start: '2027-04-20T11:00:00-04:00',
        end: '2027-04-20T12:30:00-04:00',
        enabledJoinBeforeHost: false,
        joinBeforeHostMinutes: 0,
        requireAttendeeLogin: false,
      },
      {
        id: '9c3e5a7b1d2f4e6a8b0c2d4e6f8a0b1c',
        title: 'Board Review',
        hostEmail: 'ceo.office@example.com',
        timezone: 'Asia/Tokyo',
        start: '2027-05-14T16:00:00+09:00',
        end: '2027-05-14T18:00:00+09:00',
        enabledVisualWatermark: false,
        agenda: 'Quarterly numbers.',
      },
    ],
  };
}

/** mulberry32: a tiny deterministic PRNG, so a seed number always gives the same meetings. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kolkata'];
const TOPICS = ['Sales', 'Design', 'Platform', 'Support', 'Finance', 'Hiring', 'Security', 'Roadmap', 'Partner', 'Ops'];
const KINDS = ['Sync', 'Review', 'Standup', 'Planning', 'Retro', 'Briefing', 'Town Hall', 'Workshop'];
const RULES = ['FREQ=WEEKLY;INTERVAL=1;BYDAY={DAY};COUNT=12', 'FREQ=DAILY;INTERVAL=1;COUNT=10', 'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY={DOM};COUNT=6', 'FREQ=WEEKLY;INTERVAL=2;BYDAY={DAY}'];
const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DURATIONS = [30, 45, 60, 90];
const BASE = Date.parse(BUILTIN_NOW);
const DAY_MS = 24 * 3600_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A wall-clock date-time without offset: read in the meeting's zone by the seed loader. */
function wall(ms: number, hour: number, minute: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(hour)}:${pad(minute)}:00`;
}

/**
 * `hosts`: who hosts the series, picked per series; by default only the seeds' default host, the
 * admin token's own user, so that the admin reads and updates every generated meeting without naming a host.
 */
export function generateSeed(options: { series: number; seed?: number; hosts?: readonly string[] }): SeedFile {
  const hosts = options.hosts !== undefined && options.hosts.length > 0 ? options.hosts : [DEFAULT_HOST];
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const meetings: SeedMeeting[] = [];
  for (let i = 0; i < options.series; i++) {
    const id = hexId(`generated:${options.seed ?? 1}:${i}`);
    // Keep days 1-28 so a monthly rule on the start's day of month exists in every month.
    let day = BASE + (2 + Math.floor(random() * 120)) * DAY_MS;
    if (new Date(day).getUTCDate() > 28) day -= 3 * DAY_MS;
    const hour = 8 + Math.floor(random() * 9);
    const minute = pick([0, 0, 15, 30, 45]);
    const duration = pick(DURATIONS);
    const endHour = hour + Math.floor((minute + duration) / 60);
    const webinar = i % 7 === 3;
    const meeting: SeedMeeting = {
      id,
      title: `${pick(TOPICS)} ${webinar ? 'Webinar' : pick(KINDS)} ${i + 1}`,
      hostEmail: pick(hosts),
      timezone: pick(ZONES),
      start: wall(day, hour, minute),
      end: wall(day, endHour, (minute + duration) % 60),
    };
    if (webinar) meeting.scheduledType = 'webinar';
    if (random() < 0.5) meeting.agenda = `Agenda of meeting ${i + 1}.`;
    if (i % 3 === 0) meeting.integrationTags = [`GEN-${i + 1}`];
    if (i % 5 === 0) meeting.trackingCodes = [{ name: 'Department', value: pick(TOPICS) }];
    if (random() < 0.3) meeting.meetingOptions = { enabledChat: false };
    if (random() < 0.2) Object.assign(meeting, { enabledJoinBeforeHost: true, joinBeforeHostMinutes: webinar ? 15 : 5 });
    if (i % 4 === 0) {
      const date = new Date(day);
      const rule = pick(RULES).replace('{DAY}', DAYS[date.getUTCDay()]).replace('{DOM}', String(date.getUTCDate()));
      meeting.recurrence = rule;
      const startMs = parseDateTime(meeting.start, meeting.timezone!)!;
      const starts = expandRule(rule, startMs, meeting.timezone!, startMs + 400 * DAY_MS).slice(1, 1 + Math.floor(random() * 3));
      if (starts.length > 0) {
        meeting.occurrences = starts.map((s, k) => ({ id: occurrenceId(id, s), title: `${meeting.title} (special ${k + 1})` }));
      }
    }
    meetings.push(meeting);
  }
  return { now: BUILTIN_NOW, meetings };
}
