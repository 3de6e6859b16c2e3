/** The renderers: pure functions of a Plan, an ApplyReport, a DriftReport or a Validation. The CLI picks them from formats.ts. */
export { renderPlanText, type TextOptions } from './plan-text.js';
export { renderPlanMarkdown, type MarkdownOptions } from './plan-markdown.js';
export { renderPlanJson, renderApplyJson, renderDriftJson } from './json.js';
export { renderDriftText } from './drift-text.js';
export { renderDriftMarkdown } from './drift-markdown.js';
export { renderValidationMarkdown } from './validation-markdown.js';
export { renderApplyText } from './apply-text.js';
export { renderApplyMarkdown } from './apply-markdown.js';
export { escapeUnsafe, elideMiddle, formatValue } from './sanitize.js';
export { COMMENT_LIMIT } from './markdown.js';
