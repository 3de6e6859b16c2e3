/** File names of imported series, and the variable names their secrets point at. */

export const MAX_FILE_BASE = 60;
/** Names a loader reads as folder defaults: a meeting file must never take one. */
const RESERVED_BASES = new Set(['defaults', '_defaults']);

/** Lowercase ASCII letters and digits joined by `-`, at most `max` characters; '' when nothing is left. */
export function slugify(text: string, max = MAX_FILE_BASE): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

export function idTag(id: string, length = 8): string {
  return slugify(id.slice(0, length)) || 'meeting';
}

/**
 * File base names (without `.yaml`) for a batch of series, in input order: the title made safe,
 * or the id when the title leaves nothing. Names that two series of the batch share, or that a
 * loader reserves, get the first 8 characters of the id; should those still clash, the whole id.
 */
export function fileBaseNames(series: readonly { id: string; title?: unknown }[]): string[] {
  const first = series.map((s) => {
    const base = typeof s.title === 'string' ? slugify(s.title) : '';
    return base === '' ? slugify(s.id) || 'meeting' : base;
  });
  const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const firstCounts = count(first);
  const second = first.map((base, i) =>
    firstCounts.get(base)! > 1 || RESERVED_BASES.has(base) ? withSuffix(base, idTag(series[i].id)) : base,
  );
  const secondCounts = count(second);
  return second.map((base, i) => (secondCounts.get(base)! > 1 ? withSuffix(first[i], slugify(series[i].id) || 'meeting') : base));
}

export function withSuffix(base: string, suffix: string): string {
  if (base === suffix) return base;
  const room = Math.max(1, MAX_FILE_BASE - suffix.length - 1);
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

/** `MEETING_<NAME>_PASSWORD`: the variable an imported file points a secret at. */
export function secretVariable(fileBase: string, field: string): string {
  const name = fileBase.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const what = field.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return `MEETING_${name}_${what}`;
}
