/** A loaded file as the rest of meetctl sees it: its data, and where each path of it is written. */

/** Keys refused in files and skipped in merges: plain-object merges must not reach Object.prototype. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type PathPart = string | number;
export interface Position {
  line: number;
  col: number;
}

export interface SourceFile {
  /** The path as the user would write it: the directory as given, joined with the path below it. */
  file: string;
  /** Path below the loaded directory, with `/` separators. */
  relPath: string;
  kind: 'document' | 'defaults';
  data: unknown;
  /**
   * Where a path points in the file: `at: 'value'` (default) the value, `at: 'key'` the key that holds it.
   * A path that does not exist resolves to its deepest existing ancestor (for a missing key: the mapping).
   */
  locate(path: readonly PathPart[], at?: 'key' | 'value'): Position;
}
