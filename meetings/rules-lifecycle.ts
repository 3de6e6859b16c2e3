/**
 * The offline rules of the lifecycle: a file with `key:` names a meeting that meetctl creates (no
 * `id:`) or adopts (`id:` too) and finds again by its ownership tag `meetctl:<key>`; an occurrence
 * names its scheduled meeting by id or by original start (`at:`), and `cancelled: true` deletes it.
 * Rules as in rules.ts: small functions over a RuleContext returning Diagnostics at the offending value.
 */
import { error, fieldPath, type Diagnostic } from '../core/diagnostics.js';
import type { PathPart, ResolvedDocument } from '../core/load.js';
import { originalStartOf, parseOriginalStart, seriesOfScheduledId } from './ids.js';
import type { RuleContext } from './rules.js';
import { isOwnershipTag, MAX_OWN_TAGS, OWNERSHIP_PREFIX } from './ownership.js';


/** What a POST /meetings cannot do without. */
const CREATE_NEEDS = ['title', 'start', 'end'] as const;

/** What a cancelled occurrence may hold besides `cancelled`: the name of its scheduled meeting. */
const CANCELLED_MAY_HOLD = new Set(['id', 'at', 'cancelled']);

type Data = Record<string, unknown>;

const asData = (v: unknown): Data | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : undefined);

/** A file meetctl creates the meeting of: a key, and no id to find an existing one by. */
function createsItsMeeting(data: Data): boolean {
  return typeof data.key === 'string' && data.id === undefined;
}

function occurrencesOf(data: Data): { occ: Data; base: PathPart[] }[] {
  const list = data.occurrences;
  if (!Array.isArray(list)) return [];
  return list.flatMap((o, i) => {
    const occ = asData(o);
    return occ ? [{ occ, base: ['occurrences', i] as PathPart[] }] : [];
  });
}

function words(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const utc = (ms: number) => new Date(ms).toISOString().replace('.000', '');

/** The original start an occurrence names, by its id or by `at:`, and the field that names it. */
export function namedOriginal(occurrence: unknown): { ms: number; field: 'id' | 'at' } | undefined {
  const occ = asData(occurrence);
  if (typeof occ?.id === 'string') {
    const ms = originalStartOf(occ.id);
    return ms === undefined ? undefined : { ms, field: 'id' };
  }
  if (typeof occ?.at === 'string') {
    const parsed = parseOriginalStart(occ.at);
    return parsed.ok ? { ms: parsed.ms, field: 'at' } : undefined;
  }
  return undefined;
}

/** A created meeting needs title, start and end (from the file or its defaults). */
export function ruleCreateNeeds(ctx: RuleContext): Diagnostic[] {
  if (!createsItsMeeting(ctx.data)) return [];
  const missing = CREATE_NEEDS.filter((name) => ctx.data[name] === undefined);
  if (missing.length === 0) return [];
  return [ctx.at('rule.createNeeds', `key: without id: creates the meeting, so it needs ${words(missing)} (in this file or its defaults)`, ['key'], { at: 'key' })];
}

/** The ownership tag takes one of Webex's three integration tags, and its prefix is meetctl's alone. */
export function ruleOwnTags(ctx: RuleContext): Diagnostic[] {
  const tags = ctx.data.integrationTags;
  if (!Array.isArray(tags)) return [];
  const out: Diagnostic[] = [];
  if (typeof ctx.data.key === 'string' && tags.length > MAX_OWN_TAGS) {
    out.push(
      ctx.at(
        'rule.ownTagsTooMany',
        `a file with key: may declare at most ${MAX_OWN_TAGS} integrationTags of its own: Webex keeps 3 on a series, and meetctl keeps one for ${OWNERSHIP_PREFIX}${ctx.data.key}`,
        ['integrationTags'],
      ),
    );
  }
  tags.forEach((tag, i) => {
    if (!isOwnershipTag(tag)) return;
    // A hand-written ownership tag would make meetctl own (and, with --prune, delete) a meeting no key declares.
    out.push(
      ctx.at('rule.reservedTag', `'${OWNERSHIP_PREFIX}' is reserved for meetctl's ownership tag: declare key: to have meetctl own the meeting, or name the tag otherwise`, [
        'integrationTags',
        i,
      ]),
    );
  });
  return out;
}

/**
 * A cancelled occurrence is deleted, so anything else it sets is never sent. An error rather than a
 * warning: the file would then say one thing while Webex holds another, and every plan would show it.
 */
export function ruleCancelledHoldsNothing(ctx: RuleContext): Diagnostic[] {
  return occurrencesOf(ctx.data).flatMap(({ occ, base }) => {
    if (occ.cancelled !== true) return [];
    return Object.keys(occ)
      .filter((name) => !CANCELLED_MAY_HOLD.has(name))
      .map((name) =>
        ctx.at(
          'rule.cancelledWithFields',
          `a cancelled occurrence is deleted, so its ${name} would never be set and the file would not say what Webex holds: remove ${name}, or cancelled: true`,
          [...base, name],
          { at: 'key' },
        ),
      );
  });
}

/** `at:` reads as one instant (whether it is an occurrence of the series is ruleOccurrences' check, as for an id). */
export function ruleOccurrenceAt(ctx: RuleContext): Diagnostic[] {
  return occurrencesOf(ctx.data).flatMap(({ occ, base }) => {
    if (typeof occ.at !== 'string') return [];
    const parsed = parseOriginalStart(occ.at);
    return parsed.ok ? [] : [ctx.at('rule.occurrenceAt', parsed.message, [...base, 'at'])];
  });
}

/** The series of a file meetctl creates does not exist yet, so neither do the ids of its scheduled meetings. */
export function ruleOccurrenceIdBeforeCreate(ctx: RuleContext): Diagnostic[] {
  if (!createsItsMeeting(ctx.data)) return [];
  return occurrencesOf(ctx.data)
    .filter(({ occ }) => occ.id !== undefined)
    .map(({ base }) =>
      ctx.at(
        'rule.occurrenceIdBeforeCreate',
        'this file has key: and no id:, so meetctl creates the series and its scheduled meeting ids are not known yet: name the occurrence by its original start with at:',
        [...base, 'id'],
      ),
    );
}

export const LIFECYCLE_RULES: readonly ((ctx: RuleContext) => Diagnostic[])[] = [
  ruleCreateNeeds,
  ruleOwnTags,
  ruleCancelledHoldsNothing,
  ruleOccurrenceAt,
  ruleOccurrenceIdBeforeCreate,
];

// ---------------------------------------------------------------- across declarations

interface Declaration {
  doc: ResolvedDocument;
  path: PathPart[];
}

/** Each group of two or more declarations that `keep` accepts, as located items for messages. */
function repeated<K>(groups: Map<K, Declaration[]>, keep: (list: Declaration[]) => boolean) {
  return [...groups]
    .filter(([, list]) => list.length > 1 && keep(list))
    .map(([name, list]) => ({ name, list: list.map(({ doc, path }) => ({ ...doc.locate(path), field: fieldPath(path) })) }));
}

function group<K>(into: Map<K, Declaration[]>, name: K, decl: Declaration): void {
  const list = into.get(name);
  if (list) list.push(decl);
  else into.set(name, [decl]);
}

type Located = { file: string; line: number; field: string };
const othersThan = (decl: Located, list: readonly Located[]) =>
  list.filter((o) => o !== decl).map((o) => (o.file === decl.file ? `line ${o.line} of this file` : `${o.file}:${o.line}`));

/**
 * No two files may share a key: one ownership tag finds one meeting. A file without a key is named
 * by its id (the plan's key of its changes), so an id that is another file's key is refused too.
 */
export function checkDuplicateKeys(docs: readonly ResolvedDocument[]): Diagnostic[] {
  const byKey = new Map<string, Declaration[]>();
  for (const doc of docs) {
    const { key, id } = doc.data;
    if (typeof key === 'string') group(byKey, key, { doc, path: ['key'] });
    else if (typeof id === 'string') group(byKey, id, { doc, path: ['id'] });
  }
  // Only ids: the same id twice, which checkDuplicateIds reports.
  return repeated(byKey, (list) => list.some((d) => d.path[0] === 'key')).flatMap(({ name, list }) =>
    list.map((decl) => {
      const mixed = list.some((o) => o.field !== decl.field);
      const why = mixed ? ' (a file is named by its key, else by its id)' : '';
      return error('rule.duplicateKey', `${decl.field} ${name} is also declared at ${othersThan(decl, list).join(', ')}${why}`, decl);
    }),
  );
}

/** Two occurrences of one file may not name the same scheduled meeting, by id and at or twice by at. */
export function checkDuplicateOriginals(docs: readonly ResolvedDocument[]): Diagnostic[] {
  return docs.flatMap((doc) => {
    const byStart = new Map<number, Declaration[]>();
    const series = typeof doc.data.id === 'string' ? doc.data.id : undefined;
    occurrencesOf(doc.data).forEach(({ occ, base }) => {
      const named = namedOriginal(occ);
      // An id of another series names another scheduled meeting, whatever its instant: ruleOccurrences
      // refuses it, and so does ruleOccurrenceIdBeforeCreate in a file without an id.
      if (named?.field === 'id' && seriesOfScheduledId(occ.id as string) !== series) return;
      if (named) group(byStart, named.ms, { doc, path: [...base, named.field] });
    });
    // Only ids: the same id twice, which checkDuplicateIds reports.
    return repeated(byStart, (list) => list.some((d) => d.path[2] === 'at')).flatMap(({ name, list }) =>
      list.map((decl) => error('rule.duplicateOccurrence', `the scheduled meeting of ${utc(name)} is also named at ${othersThan(decl, list).join(', ')}`, decl)),
    );
  });
}
