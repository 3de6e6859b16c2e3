/**
 * The offline cross-field rules of a desired meeting: what a single file (merged with its
 * defaults) can be checked for without asking Webex. Whatever needs live state (is it a
 * webinar, has it ended, is a time in the past on the server's clock) is the planner's job.
 *
 * Each rule is a small function over a `RuleContext` returning Diagnostics at the offending
 * value, so a rule is easy to read, test and name.
 */
import { error, fieldPath, warning, type Diagnostic } from '../core/diagnostics.js';
import { reservedVariableReason, secretRefName } from '../core/secrets.js';
import type { PathPart, ResolvedDocument } from '../core/load.js';
import { LIMITS } from './catalogue.js';
import { kindRequiredBy, setFields, switchNeeded, valueAt, type SetField } from './field-rules.js';
import { seriesOfScheduledId } from './ids.js';
import { CONNECTION_VARIABLES } from './redact.js';
import { checkDuplicateKeys, checkDuplicateOriginals, LIFECYCLE_RULES, namedOriginal } from './rules-lifecycle.js';
import { expandOccurrences, formatUntil, isUtcUntil, normalizeRecurrence, parseRecurrence, startFitsRule, UNTIL_CAP_SENTENCE, untilCapMs, untilToMs } from './recurrence.js';
import { formatInZone, isValidTimeZone, offsetAgreesWithZone, parseMeetingTime, truncateToMinute, utcFieldsOf, wallTimeToInstant, zoneOffsetText, zoneProblem } from './time.js';

const MINUTE = 60_000;

type Data = Record<string, unknown>;

export interface RuleContext {
  doc: ResolvedDocument;
  data: Data;
  /** "Now" for the rules that look ahead from it (the five-year end of a series): the local clock, validate being offline. */
  nowMs: number;
  /** A Diagnostic at `path` (value by default), in whichever file supplied it. */
  at(code: string, message: string, path: readonly PathPart[], opts?: { at?: 'key' | 'value'; severity?: 'warning' }): Diagnostic;
  /** The catalogue fields the document sets (several rules walk them). */
  fields: SetField[];
  /** The series' start in epoch ms, to the minute (undefined when absent or invalid): read once for the rules that need it. */
  seriesStart(): number | undefined;
}


function context(doc: ResolvedDocument, nowMs: number): RuleContext {
  let start: { ms: number | undefined } | undefined;
  return {
    doc,
    data: doc.data,
    nowMs,
    fields: setFields(doc.data),
    seriesStart: () => (start ??= { ms: seriesStart(doc.data) }).ms,
    at(code, message, path, opts = {}) {
      const where = doc.locate(path, opts.at ?? 'value');
      const make = opts.severity === 'warning' ? warning : error;
      return make(code, message, { file: where.file, line: where.line, col: where.col, field: fieldPath(path) || undefined });
    },
  };
}

/** "(set in defaults.yaml)" when a value comes from a defaults file, so the reader knows where to look. */
function origin(ctx: RuleContext, path: readonly PathPart[]): string {
  const where = ctx.doc.locate(path);
  return where.file === ctx.doc.file ? `line ${where.line}` : `${where.file}:${where.line}`;
}

// ---------------------------------------------------------------- option dependencies

/** A value that needs its switch (`FieldSpec.requires`) while the switch is explicitly false: the file contradicts itself. */
export function ruleSwitches(ctx: RuleContext): Diagnostic[] {
  return ctx.fields.flatMap((field) => {
    const switchPath = switchNeeded(field);
    if (switchPath === undefined || valueAt(ctx.data, switchPath) !== false) return [];
    const code = field.spec.requires!.code;
    const message = `${fieldPath(field.path)} needs ${fieldPath(switchPath)}: true, but ${fieldPath(switchPath)} is false (${origin(ctx, switchPath)})`;
    return [ctx.at(code, message, field.path)];
  });
}

/** An object Webex takes whole (`FieldSpec.sentWhole`) without one of the members it requires: Webex would refuse the update. */
export function ruleWholeObjects(ctx: RuleContext): Diagnostic[] {
  return ctx.fields.flatMap((field) => {
    const required = field.spec.sentWhole?.required;
    if (required === undefined || field.value === null || typeof field.value !== 'object' || Array.isArray(field.value)) return [];
    const missing = required.filter((member) => (field.value as Record<string, unknown>)[member] === undefined);
    if (missing.length === 0) return [];
    const name = fieldPath(field.path);
    const message = `${name} lacks ${missing.join(', ')}: Webex takes ${name} whole, and every update must give ${required.join(', ')}`;
    return [ctx.at('rule.wholeObject', message, field.path, { at: 'key' })];
  });
}

/** Settings that only a webinar accepts, and settings a webinar refuses: a file with both contradicts itself. */
export function ruleWebinarOrMeeting(ctx: RuleContext): Diagnostic[] {
  const webinar: SetField[] = [];
  const meeting: SetField[] = [];
  for (const field of ctx.fields) {
    const kind = kindRequiredBy(field.spec, field.value);
    if (kind !== undefined) (kind === 'webinar' ? webinar : meeting).push(field);
  }
  if (webinar.length === 0 || meeting.length === 0) return [];
  const describe = ({ path, spec, value }: SetField) => {
    const shown = spec.sensitive || typeof value === 'object' ? '' : `: ${String(value)}`;
    return `${fieldPath(path)}${shown} (${origin(ctx, path)})`;
  };
  return [
    ctx.at(
      'rule.webinarAndMeeting',
      `this file mixes webinar-only settings (${webinar.map(describe).join(', ')}) with settings a webinar refuses (${meeting.map(describe).join(', ')}): keep one kind`,
      meeting[0].path,
      { at: 'key' },
    ),
  ];
}

// ---------------------------------------------------------------- times

interface TimeValue {
  ms: number;
  path: PathPart[];
}

/** Parse `start`/`end` at `base` (the series or one occurrence); problems become Diagnostics. */
function readTime(ctx: RuleContext, base: PathPart[], name: 'start' | 'end', zone: string | undefined, out: Diagnostic[]): TimeValue | undefined {
  const path = [...base, name];
  const value = valueAt(ctx.data, path);
  if (typeof value !== 'string') return undefined;
  const usableZone = zone !== undefined && isValidTimeZone(zone) ? zone : undefined;
  const parsed = parseMeetingTime(value, usableZone);
  if (!parsed.ok) {
    // An invalid zone is reported once, on `timezone`; do not repeat it for every time.
    if (!(zone !== undefined && usableZone === undefined)) out.push(ctx.at('rule.time', parsed.message, path));
    return undefined;
  }
  if (parsed.hasOffset && usableZone && !offsetAgreesWithZone(value, usableZone)) {
    const zoneOffset = zoneOffsetText(parsed.epochMs, usableZone);
    out.push(
      ctx.at(
        'rule.offsetDisagrees',
        `the offset of '${value}' is not the offset of ${usableZone} at that time (${zoneOffset}): write ${zoneOffset} or leave the offset out`,
        path,
      ),
    );
  }
  return { ms: truncateToMinute(parsed.epochMs), path };
}

function checkZone(ctx: RuleContext, path: PathPart[]): Diagnostic[] {
  const zone = valueAt(ctx.data, path);
  const problem = typeof zone === 'string' ? zoneProblem(zone) : undefined;
  return problem === undefined ? [] : [ctx.at('rule.timezone', problem, path)];
}

function checkDuration(ctx: RuleContext, start: number, end: number, endPath: PathPart[], startWords: string): Diagnostic[] {
  const minutes = Math.round((end - start) / MINUTE);
  if (end <= start) return [ctx.at('rule.endBeforeStart', `end must be after ${startWords}`, endPath)];
  if (minutes < LIMITS.durationMinMinutes) {
    return [ctx.at('rule.durationTooShort', `a meeting lasts at least ${LIMITS.durationMinMinutes} minutes; this one lasts ${minutes}`, endPath)];
  }
  if (minutes > LIMITS.durationMaxMinutes) {
    const h = Math.floor(minutes / 60);
    return [ctx.at('rule.durationTooLong', `a meeting lasts at most 23 hours 59 minutes; this one lasts ${h} h ${minutes % 60} min`, endPath)];
  }
  return [];
}

/** The series' start in epoch ms, for the recurrence and occurrence rules (undefined when absent or invalid). */
function seriesStart(data: Data): number | undefined {
  const value = data.start;
  const zone = typeof data.timezone === 'string' && isValidTimeZone(data.timezone) ? data.timezone : undefined;
  if (typeof value !== 'string') return undefined;
  const parsed = parseMeetingTime(value, zone);
  return parsed.ok ? truncateToMinute(parsed.epochMs) : undefined;
}

function seriesZone(ctx: RuleContext): string {
  const zone = ctx.data.timezone;
  return typeof zone === 'string' && isValidTimeZone(zone) ? zone : 'UTC';
}

export function ruleSeriesTimes(ctx: RuleContext): Diagnostic[] {
  const out = checkZone(ctx, ['timezone']);
  const zone = typeof ctx.data.timezone === 'string' ? ctx.data.timezone : undefined;
  const start = readTime(ctx, [], 'start', zone, out);
  const end = readTime(ctx, [], 'end', zone, out);
  if (start && end) out.push(...checkDuration(ctx, start.ms, end.ms, end.path, 'start'));
  return out;
}

export function ruleOccurrences(ctx: RuleContext): Diagnostic[] {
  const list = ctx.data.occurrences;
  if (!Array.isArray(list)) return [];
  const out: Diagnostic[] = [];
  const seriesId = typeof ctx.data.id === 'string' ? ctx.data.id : undefined;
  const recurrence = typeof ctx.data.recurrence === 'string' ? ctx.data.recurrence : undefined;
  const rule = recurrence !== undefined ? parseRecurrence(recurrence) : undefined;
  const start = ctx.seriesStart();
  // One expansion, as far as the latest declared occurrence, serves every occurrence of the file.
  let occurrenceMinutes: Set<number> | undefined;
  const isOccurrence = (original: number): boolean => {
    if (occurrenceMinutes === undefined) {
      const latest = Math.max(...list.map((o) => namedOriginal(o)?.ms ?? 0));
      const hits = expandOccurrences(recurrence!, start!, seriesZone(ctx), { untilMs: latest + MINUTE });
      occurrenceMinutes = new Set(hits.map(truncateToMinute));
    }
    return occurrenceMinutes.has(truncateToMinute(original));
  };
  list.forEach((occ, i) => {
    if (occ === null || typeof occ !== 'object') return;
    const base: PathPart[] = ['occurrences', i];
    const id = typeof (occ as Data).id === 'string' ? ((occ as Data).id as string) : undefined;
    // By id or by at: one definition of the scheduled meeting an override names.
    const named = namedOriginal(occ);
    const original = named?.ms;
    const owner = id !== undefined ? seriesOfScheduledId(id) : undefined;
    if (owner !== undefined && seriesId !== undefined && owner !== seriesId) {
      out.push(ctx.at('rule.occurrenceOfOtherSeries', `occurrence ${id} belongs to series ${owner}, not to this file's series ${seriesId}`, [...base, 'id']));
    } else if (id !== undefined && original === undefined) {
      out.push(ctx.at('rule.occurrenceDate', `occurrence id ${id} does not end in a real UTC date-time YYYYMMDDTHHMMSSZ`, [...base, 'id']));
    } else if (named && rule?.ok && start !== undefined && !isOccurrence(named.ms)) {
      out.push(
        ctx.at(
          'rule.notAnOccurrence',
          `${new Date(named.ms).toISOString().replace('.000', '')} is not an occurrence of this series (start ${String(ctx.data.start)}, ${recurrence})`,
          [...base, named.field],
        ),
      );
    }
    out.push(...checkZone(ctx, [...base, 'timezone']));
    const ownZone = (occ as Data).timezone;
    const zone = typeof ownZone === 'string' ? ownZone : typeof ctx.data.timezone === 'string' ? ctx.data.timezone : undefined;
    const occStart = readTime(ctx, base, 'start', zone, out);
    const occEnd = readTime(ctx, base, 'end', zone, out);
    if (occEnd && occStart) out.push(...checkDuration(ctx, occStart.ms, occEnd.ms, occEnd.path, 'start'));
    else if (occEnd && original !== undefined) {
      out.push(...checkDuration(ctx, original, occEnd.ms, occEnd.path, `the occurrence's original start (${new Date(original).toISOString().replace('.000', '')})`));
    }
  });
  return out;
}

// ---------------------------------------------------------------- recurrence


/**
 * An UNTIL written without its Z as UTC, when the file states the zone it is a wall-clock time of
 * (without one, the file does not say which wall clock it is).
 */
function localUntilInUtc(ctx: RuleContext, localUntil: string | undefined): string {
  const zone = ctx.data.timezone;
  if (localUntil === undefined || typeof zone !== 'string' || !isValidTimeZone(zone)) return '';
  const wall = utcFieldsOf(untilToMs(`${localUntil}Z`)!);
  return ` (that time in ${zone}: UNTIL=${formatUntil(wallTimeToInstant(wall, zone))})`;
}

/**
 * The rule parses (else an error); its UNTIL is a UTC date-time (a date alone is an error: RFC 5545
 * §3.3.10 wants UTC with a zoned start, and a date names no instant) not before the series start;
 * the start is one of the rule's meetings (else a warning: a series' start is "the date and time
 * the first meeting of the series starts", MeetingSeriesObject.start). What Webex adjusts is a
 * warning, as the plan will show it: only the first BYDAY/BYMONTHDAY of a MONTHLY or YEARLY rule,
 * and an end more than five years from now (the local clock; the plan counts from the server's),
 * by the same normalization plan uses.
 */
export function ruleRecurrence(ctx: RuleContext): Diagnostic[] {
  const text = ctx.data.recurrence;
  if (typeof text !== 'string') return [];
  const path = ['recurrence'];
  const parsed = parseRecurrence(text);
  if (!parsed.ok) return [ctx.at('rule.recurrence', parsed.message + localUntilInUtc(ctx, parsed.localUntil), path)];
  const rule = parsed.rule;
  const start = ctx.seriesStart();
  const zone = seriesZone(ctx);
  if (rule.until !== undefined && !isUtcUntil(rule.until)) {
    const endOfDay = untilToMs(`${rule.until}T235959Z`)!;
    const instead = typeof ctx.data.timezone === 'string' ? ` (the end of that day in ${zone}: UNTIL=${formatUntil(wallTimeToInstant(utcFieldsOf(endOfDay), zone))})` : '';
    return [ctx.at('rule.recurrenceUntilDate', `UNTIL=${rule.until} is a date, which names no instant: write the end as a UTC date-time YYYYMMDDTHHMMSSZ${instead}`, path)];
  }
  if (rule.until !== undefined && start !== undefined && untilToMs(rule.until)! < start) {
    return [
      ctx.at('rule.recurrenceUntilBeforeStart', `UNTIL=${rule.until} is before the series start (${String(ctx.data.start)}): the series would end before it begins`, path),
    ];
  }
  const warn = (code: string, message: string) => ctx.at(code, message, path, { severity: 'warning' });
  const out: Diagnostic[] = [];
  if (rule.freq === 'MONTHLY' || rule.freq === 'YEARLY') {
    if ((rule.byDay?.length ?? 0) > 1) {
      out.push(warn('rule.recurrenceFirstOnly', `Webex keeps only the first BYDAY of a ${rule.freq} rule (${rule.byDay![0]})`));
    }
    if ((rule.byMonthDay?.length ?? 0) > 1) {
      out.push(warn('rule.recurrenceFirstOnly', `Webex keeps only the first BYMONTHDAY of a ${rule.freq} rule (${rule.byMonthDay![0]})`));
    }
  }
  const stored = normalizeRecurrence(text, ctx.nowMs, start === undefined ? undefined : { startMs: start, zone });
  if ('error' in stored) return out;
  // The start's own day answers for most rules; only the others are laid out.
  const fits = start === undefined ? true : startFitsRule(rule, start, zone);
  const first = start === undefined || fits === true ? undefined : expandOccurrences(stored.rule, start, zone, { limit: 1 })[0];
  if (start !== undefined && first !== undefined && truncateToMinute(first) !== truncateToMinute(start)) {
    const wall = formatInZone(first, zone);
    out.push(
      warn(
        'rule.startNotOccurrence',
        `the start ${String(ctx.data.start)} is not one of the rule's meetings: the first is ${wall}, and Webex shows a series' start as its first meeting's, so write start: ${wall.slice(0, 19)}`,
      ),
    );
  }
  if (rule.until !== undefined && untilToMs(rule.until)! > untilCapMs(ctx.nowMs)) {
    const capDay = new Date(untilCapMs(ctx.nowMs)).toISOString().slice(0, 10);
    out.push(
      warn(
        'rule.recurrenceUntil',
        `UNTIL=${rule.until} is more than five years from now: Webex ends the series five years after the day the rule is written (${capDay} if written today), and the plan shows that change`,
      ),
    );
  }
  if (rule.count === undefined) return out;
  if (start === undefined) {
    // Where the meetings fall is the live series' business: only the documented counts can be said.
    const cap = LIMITS.occurrenceCap[rule.freq];
    if (rule.count > cap) {
      out.push(warn('rule.recurrenceCount', `COUNT=${rule.count} may be more than Webex keeps: a series ends at most five years from now (${cap} meetings of a ${rule.freq} rule that meets once a period); the plan shows the COUNT Webex stores`));
    }
    return out;
  }
  // The COUNT the plan will send, by the plan's own normalization, counted from today.
  if (stored.countCappedFrom !== undefined) {
    const sentence = stored.warnings.find((w) => w.startsWith(UNTIL_CAP_SENTENCE)) ?? `${UNTIL_CAP_SENTENCE}.`;
    out.push(warn('rule.recurrenceCount', `${sentence.replace(/\.$/, '')}, counted from today; the plan counts from the server's clock and shows that change`));
  }
  return out;
}

// ---------------------------------------------------------------- secret references

/** A secret field may not name a variable of the CI or of the connection (core/secrets.reservedVariableReason). */
export function ruleSecretVariables(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (value: unknown, path: PathPart[]) => {
    const name = secretRefName(value);
    const refused = name === undefined ? undefined : reservedVariableReason(name, CONNECTION_VARIABLES);
    if (refused) out.push(ctx.at('rule.secretVariable', refused, path));
  };
  for (const field of ctx.fields) if (field.spec.sensitive) check(field.value, field.path);
  const occurrences = Array.isArray(ctx.data.occurrences) ? (ctx.data.occurrences as unknown[]) : [];
  occurrences.forEach((occ, i) => {
    if (occ === null || typeof occ !== 'object') return;
    for (const field of setFields(occ as Data)) if (field.spec.sensitive) check(field.value, ['occurrences', i, ...field.path]);
  });
  return out;
}

// ---------------------------------------------------------------- all rules of one document

export const DOCUMENT_RULES: readonly ((ctx: RuleContext) => Diagnostic[])[] = [
  ruleSwitches,
  ruleWholeObjects,
  ruleWebinarOrMeeting,
  ruleSeriesTimes,
  ruleRecurrence,
  ruleOccurrences,
  ruleSecretVariables,
  ...LIFECYCLE_RULES,
];

/** Every offline rule over one document merged with its defaults. */
export function checkDocumentRules(doc: ResolvedDocument, opts: { nowMs?: number } = {}): Diagnostic[] {
  const ctx = context(doc, opts.nowMs ?? Date.now());
  return DOCUMENT_RULES.flatMap((rule) => rule(ctx));
}

/**
 * No meeting id (series or occurrence) may be declared twice, nor a key, nor one scheduled meeting
 * by id and by original start: an error at each declaration, naming the others.
 */
export function checkDuplicateIds(docs: readonly ResolvedDocument[]): Diagnostic[] {
  // Positions are looked up only for the ids declared twice: locating costs a parse of the file.
  const byId = new Map<string, { doc: ResolvedDocument; path: PathPart[] }[]>();
  const declare = (doc: ResolvedDocument, id: unknown, path: PathPart[]) => {
    if (typeof id !== 'string') return;
    const list = byId.get(id);
    if (list) list.push({ doc, path });
    else byId.set(id, [{ doc, path }]);
  };
  for (const doc of docs) {
    declare(doc, doc.data.id, ['id']);
    const list = doc.data.occurrences;
    if (Array.isArray(list)) list.forEach((occ, i) => declare(doc, (occ as Data | null)?.id, ['occurrences', i, 'id']));
  }
  const out: Diagnostic[] = [];
  for (const [id, declarations] of byId) {
    if (declarations.length < 2) continue;
    const list = declarations.map(({ doc, path }) => ({ ...doc.locate(path), field: fieldPath(path) }));
    for (const decl of list) {
      const others = list.filter((o) => o !== decl).map((o) => (o.file === decl.file ? `line ${o.line} of this file` : `${o.file}:${o.line}`));
      out.push(error('rule.duplicateId', `meeting ${id} is also declared at ${others.join(', ')}`, decl));
    }
  }
  return [...out, ...checkDuplicateKeys(docs), ...checkDuplicateOriginals(docs)];
}
