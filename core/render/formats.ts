/**
 * One writer per output format, for every command: `--format NAME` picks an entry here and each
 * command calls the writer for what it prints. A new format is one entry, not one branch per command.
 */
import type { Plan } from '../plan.js';
import type { RenderWords } from './words.js';
import type { ApplyReport } from '../report.js';
import { renderApplyMarkdown } from './apply-markdown.js';
import { renderApplyStoppedText, renderApplyText } from './apply-text.js';
import type { DriftReport } from './drift-report.js';
import { renderDriftMarkdown } from './drift-markdown.js';
import { renderDriftText } from './drift-text.js';
import { renderApplyJson, renderDriftJson, renderPlanJson } from './json.js';
import { renderPlanMarkdown } from './plan-markdown.js';
import { renderPlanText } from './plan-text.js';
import { renderValidationJson, renderValidationText, type Validation } from './validation.js';
import { renderValidationMarkdown } from './validation-markdown.js';
import type { FormatName } from './format-names.js';

export interface RenderContext {
  color: boolean;
  /** The provider's words: its nouns, its names for some actions on some kinds, its closing sentence. */
  words: RenderWords;
  /** The longest Markdown document to write (`--max-chars`; a comment's limit when absent). The other formats are never shortened. */
  maxChars?: number;
}

export interface FormatWriters {
  /**
   * Whether the format also asks for GitHub workflow-command annotations (on stderr). They are
   * written for every format when GITHUB_ACTIONS=true; `github` asks for them anywhere.
   */
  annotate: boolean;
  /** stdout is one machine-readable document: whatever else a command has to say goes to stderr. */
  oneDocument: boolean;
  plan(plan: Plan, ctx: RenderContext): string;
  applyReport(report: ApplyReport, ctx: RenderContext): string;
  /** The report of an apply stopped by a refused token or a server gone: the counts, or the whole report for a machine. */
  applyStopped(report: ApplyReport, ctx: RenderContext): string;
  drift(report: DriftReport, ctx: RenderContext): string;
  /** `validate`'s stdout. */
  validation(v: Validation, ctx: RenderContext): string;
  /** stdout of plan, apply and drift when the files do not validate: '' where the diagnostics on stderr say it all. */
  notPlanned(v: Validation, ctx: RenderContext): string;
}

const nothing = () => '';

const text: FormatWriters = {
  annotate: false,
  oneDocument: false,
  plan: (plan, ctx) => renderPlanText(plan, ctx),
  applyReport: (report, ctx) => renderApplyText(report, ctx),
  // One line, not one per change: the text report would list every change left unsent.
  applyStopped: (report, ctx) => renderApplyStoppedText(report, ctx),
  drift: (report, ctx) => renderDriftText(report, ctx),
  validation: (v) => renderValidationText(v),
  notPlanned: nothing,
};

const json: FormatWriters = {
  annotate: false,
  oneDocument: true,
  plan: (plan) => renderPlanJson(plan),
  applyReport: (report) => renderApplyJson(report),
  applyStopped: (report) => renderApplyJson(report),
  drift: (report) => renderDriftJson(report),
  validation: (v) => renderValidationJson(v),
  notPlanned: nothing,
};

const markdown: FormatWriters = {
  annotate: false,
  oneDocument: false,
  plan: (plan, ctx) => renderPlanMarkdown(plan, { words: ctx.words, maxChars: ctx.maxChars }),
  applyReport: (report, ctx) => renderApplyMarkdown(report, { words: ctx.words, maxChars: ctx.maxChars }),
  applyStopped: (report, ctx) => renderApplyMarkdown(report, { words: ctx.words, maxChars: ctx.maxChars }),
  drift: (report, ctx) => renderDriftMarkdown(report, { words: ctx.words, maxChars: ctx.maxChars }),
  validation: (v, ctx) => renderValidationMarkdown(v, { maxChars: ctx.maxChars }),
  // The PR comment says why there is no plan instead of being empty.
  notPlanned: (v, ctx) => renderValidationMarkdown(v, { maxChars: ctx.maxChars }),
};

/** The text rendering, so that the job's log stays readable, plus the annotations. */
const github: FormatWriters = { ...text, annotate: true };

// One writer set for each name of format-names.ts, and no other (the type says so).
export const FORMATS: Readonly<Record<string, FormatWriters>> = { text, json, markdown, github } satisfies Record<FormatName, FormatWriters>;

export function findFormat(name: string): FormatWriters | undefined {
  return Object.hasOwn(FORMATS, name) ? FORMATS[name] : undefined;
}
