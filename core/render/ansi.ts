/** ANSI colours, or none: the caller decides (TTY and no NO_COLOR), renderers stay pure. */
export interface Paint {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURED: Paint = {
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  red: wrap(31, 39),
  cyan: wrap(36, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

const identity = (text: string) => text;
const PLAIN: Paint = { green: identity, yellow: identity, red: identity, cyan: identity, bold: identity, dim: identity };

export function paint(color: boolean): Paint {
  return color ? COLOURED : PLAIN;
}
