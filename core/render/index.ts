/** The renderers: pure functions of a Plan or an ApplyReport. The CLI picks one and writes it to stdout. */
export { renderPlanText, type TextOptions } from './plan-text.js';
export { renderPlanMarkdown, type MarkdownOptions } from './plan-markdown.js';
export { renderPlanJson, renderApplyJson } from './json.js';
export { renderApplyText } from './apply-text.js';
export { renderApplyMarkdown } from './apply-markdown.js';
export { escapeUnsafe, elideMiddle, formatValue } from './sanitize.js';
export { COMMENT_LIMIT } from './markdown.js';
