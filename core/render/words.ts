/**
 * The provider's words, as every renderer receives them: what one object is called, and plural,
 * the names of some actions on some kinds, and the sentence that closes a plan or an apply report
 * (which depends on the provider's request controls). The sentences around them are generic, so
 * nothing in core/ speaks a provider's vocabulary.
 */
import type { JsonObject } from '../plan.js';
import type { KindWords } from './actions.js';

/** `plan`: what apply will do (closing a plan); `report`: what apply did (closing a report). */
export type ControlsTense = 'plan' | 'report';

export interface RenderWords {
  /** One object, lower case, e.g. `record`. */
  object: string;
  /** Plural of `object`. */
  objects: string;
  /** Words that replace the generic ones for some actions on some kinds (a delete that is a cancel). */
  kinds?: KindWords;
  /** What the plan's request controls mean for the people concerned, said once at the end of a plan or a report that sends something. */
  controlsSentence(controls: JsonObject, tense: ControlsTense): string;
  /** How the objects no document declares (drift --report-unmanaged) are named and shown. */
  unmanaged: UnmanagedWords;
}

/**
 * What the provider calls the objects a listing finds that no document declares, which of their
 * fields is the label (the report is sorted by it), and the other fields shown after it, each with
 * the word that introduces it (`starts 2027-…`).
 */
export interface UnmanagedWords {
  noun: { one: string; many: string };
  label: string;
  facts: readonly { field: string; word: string }[];
}

/** `Record`, for a column header. */
export function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `1 record`, `2 records`: the count with the provider's noun, optionally qualified (`managed`). */
export function countOf(n: number, words: Pick<RenderWords, 'object' | 'objects'>, qualifier = ''): string {
  const prefix = qualifier === '' ? '' : `${qualifier} `;
  return `${n} ${prefix}${n === 1 ? words.object : words.objects}`;
}
