/**
 * The names `--format` takes, apart from their writers (formats.ts): the commands' help lists them,
 * and defining the commands should not load every renderer.
 */
export const FORMAT_NAMES = ['text', 'json', 'markdown', 'github'] as const;

export type FormatName = (typeof FORMAT_NAMES)[number];

/** `text, json, markdown or github`. */
export function formatList(): string {
  return `${FORMAT_NAMES.slice(0, -1).join(', ')} or ${FORMAT_NAMES[FORMAT_NAMES.length - 1]}`;
}
