/**
 * GitHub workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the Actions
 * runner turns into annotations on the pull request's diff. The runner reads them from stdout and
 * from stderr alike (actions/runner ScriptHandler attaches its command parser to both), so the
 * CLI writes them to stderr, where they never end up in a JSON or Markdown stdout.
 *
 * Escaping follows the runner's parser (ActionCommand.cs): in the message `%`, `\r`, `\n`; in a
 * property also `:` and `,`, which would end it. `%` goes first, so the runner's unescaping gives
 * the text back exactly. Before that, control and bidi characters become visible escapes as in
 * every other output, so a hostile title cannot start a line of its own.
 */
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { Plan } from '../plan.js';
import type { ApplyReport, OutcomeStatus } from '../report.js';
import { missingText, type DriftedObject, type DriftReport } from './drift-report.js';
import { actionWord, CANNOT_RECOVER } from './actions.js';
import type { RenderWords } from './words.js';
import { deletes, NO_FILE } from './changes.js';
import { outcomeDetails, STATUS_WORD } from './outcomes.js';
import { escapeUnsafe, formatLabel } from './sanitize.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  file?: string;
  line?: number;
  col?: number;
}

/** Where the paths of diagnostics and changes are relative to, and the repository root GitHub expects. */
export interface AnnotationPaths {
  /** The working directory the paths were given in (diagnostics carry `--dir` joined with the file). */
  cwd: string;
  /** `$GITHUB_WORKSPACE`, where actions/checkout puts the repository; absent outside Actions. */
  workspace?: string;
}

export function escapeData(text: string): string {
  return escapeUnsafe(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * The path GitHub matches against the repository: relative to the workspace when the file is
 * inside it (whatever the working directory or `--dir` was), else as given; `/` separators, no `./`.
 */
export function repoPath(file: string, paths: AnnotationPaths): string {
  const absolute = resolve(paths.cwd, file);
  const base = paths.workspace ?? paths.cwd;
  const inside = relative(base, absolute);
  const chosen = inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : normalize(file);
  return chosen.split(sep).join('/');
}

export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}\n`;
}

function render(list: Annotation[], paths: AnnotationPaths): string {
  return list.map((a) => formatAnnotation(a.file === undefined ? a : { ...a, file: repoPath(a.file, paths) })).join('');
}

/** Each diagnostic at its file, line and column. */
export function diagnosticAnnotations(diagnostics: readonly Diagnostic[], command: string, paths: AnnotationPaths): string {
  return render(
    diagnostics.map((d) => {
      const a: Annotation = { level: d.severity, title: `meetctl ${command}: ${d.code}`, message: d.field ? `${d.message} (${d.field})` : d.message };
      if (d.file !== undefined) Object.assign(a, { file: d.file, line: d.line ?? 1, col: d.col ?? 1 });
      return a;
    }),
    paths,
  );
}

function objectName(m: { kind: string; id: string; label?: string }): string {
  return `${m.kind} ${m.id}${m.label === undefined ? '' : ` ${formatLabel(m.label)}`}`;
}

/**
 * An object's problem, at its file. Plans know no line for an object, so the annotation sits on
 * line 1: GitHub shows an annotation on a diff only with a line.
 */
function atFile(level: AnnotationLevel, title: string, m: { kind: string; id: string; label?: string; file: string }, text: string): Annotation {
  // A pruned object has no file: the annotation is the job's, not a file's.
  if (m.file === '') return { level, title, message: `${objectName(m)}: ${text}` };
  return { level, title, file: m.file, line: 1, message: `${objectName(m)}: ${text}` };
}

/**
 * What a reviewer must look at in a plan: deletions first (they cannot be undone), then objects
 * that cannot be planned or updated, and every warning; orphans last, as notices. Creates and
 * updates are the plan itself, not problems.
 */
export function planAnnotations(plan: Plan, paths: AnnotationPaths, command: string, words: RenderWords): string {
  const title = `meetctl ${command}`;
  const list: Annotation[] = [];
  for (const c of deletes(plan)) {
    const text = `${actionWord({ kind: c.kind, action: 'delete' }, words.kinds).verb}: ${c.prune ? `${NO_FILE}; ` : ''}${CANNOT_RECOVER}`;
    list.push(atFile('warning', title, c, text));
  }
  for (const c of plan.changes) {
    if (c.action === 'error') list.push(atFile('error', title, c, `could not be planned: ${c.reason ?? 'no reason given'}`));
    if (c.action === 'notUpdatable') list.push(atFile('warning', title, c, `not updatable: ${c.reason ?? 'no reason given'}`));
    for (const w of c.warnings) list.push(atFile('warning', title, c, w));
  }
  for (const o of plan.orphans) {
    list.push({ level: 'notice', title, message: `orphaned ${o.id}${o.label === undefined ? '' : ` ${formatLabel(o.label)}`} (key ${o.key}): ${NO_FILE}; --prune would delete it` });
  }
  return render(list, paths);
}

/** Every status but applied and unchanged fails the apply (exit 1): each is an error. */
const APPLY_LEVEL: Record<OutcomeStatus, AnnotationLevel | undefined> = {
  applied: undefined,
  unchanged: undefined,
  failed: 'error',
  stale: 'error',
  notUpdatable: 'error',
  skipped: 'error',
};

export function applyAnnotations(report: ApplyReport, paths: AnnotationPaths): string {
  const list: Annotation[] = [];
  for (const o of report.outcomes) {
    const level = APPLY_LEVEL[o.status];
    if (level) list.push(atFile(level, 'meetctl apply', o, `${STATUS_WORD[o.status]}: ${outcomeDetails(o)}`));
    for (const w of o.warnings) list.push(atFile('warning', 'meetctl apply', o, `verification: ${w}`));
  }
  return render(list, paths);
}

function differs(m: DriftedObject): string {
  return `differs from its file: ${m.fields.map((f) => f.field).join(', ')}`;
}

/**
 * Drifted and missing objects are warnings at their files (field names only: values stay in the
 * report), orphaned ones warnings too (no file declares them, so they sit nowhere), errors are
 * errors, unmanaged series notices.
 */
export function driftAnnotations(report: DriftReport, paths: AnnotationPaths, words: RenderWords): string {
  const title = 'meetctl drift';
  const list: Annotation[] = [
    ...report.errors.map((e): Annotation => {
      const message = e.id ? `${e.id}: ${e.message}` : e.message;
      return e.file === undefined ? { level: 'error', title, message } : { level: 'error', title, file: e.file, line: 1, message };
    }),
    ...report.drifted.map((m) => atFile('warning', title, m, differs(m))),
    ...report.notUpdatable.map((m) => atFile('warning', title, m, `${differs(m)}; not updatable: ${m.reason}`)),
    ...report.missing.map((m) => atFile('warning', title, m, missingText(m))),
    ...report.orphans.map((o): Annotation => {
      const label = o.label === undefined ? '' : ` ${formatLabel(o.label)}`;
      return { level: 'warning', title, message: `orphaned ${words.object} ${o.id}${label} (key ${o.key}): owned, but no file declares it; meetctl plan --prune would delete it` };
    }),
    ...report.unmanaged.map((u): Annotation => {
      const label = u[words.unmanaged.label];
      return { level: 'notice', title, message: `unmanaged ${words.unmanaged.noun.one} ${u.id}${label === undefined ? '' : ` ${formatLabel(label)}`}: no file declares it` };
    }),
  ];
  return render(list, paths);
}
