/**
 * The one string order of core/: JavaScript's `<` (UTF-16 code units, which is code-point order
 * except that characters above U+FFFF sort before U+E000–U+FFFF). Unlike `localeCompare` it is
 * the same on every machine, whatever its locale and ICU data, so plans, diagnostics and the
 * renderers list things in the same order everywhere.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
