/**
 * How each sent action reads in every format: its mark (`+ ~ -`), its verb and its past tense.
 * The words are generic; a provider that names an action differently for one kind of object
 * (Webex cancels a scheduled meeting rather than deleting it) passes that as data, `KindWords`,
 * so nothing here knows a provider's vocabulary.
 */
import type { ChangeAction } from '../plan.js';

export type SentAction = 'create' | 'update' | 'delete';

export interface ActionWord {
  mark: '+' | '~' | '-';
  verb: string;
  done: string;
}

/** Per kind of object, the words that replace the generic ones for some actions. */
export type KindWords = Readonly<Record<string, Partial<Record<SentAction, { verb: string; done: string }>>>>;

const GENERIC: Readonly<Record<SentAction, ActionWord>> = {
  create: { mark: '+', verb: 'create', done: 'created' },
  update: { mark: '~', verb: 'update', done: 'updated' },
  delete: { mark: '-', verb: 'delete', done: 'deleted' },
};

/** Deletions first (they cannot be undone), then creates, then updates: the order of every list. */
export const ACTION_RANK: Readonly<Record<ChangeAction, number>> = { delete: 0, create: 1, update: 2, notUpdatable: 3, error: 4, noop: 5 };

export function actionWord(change: { kind: string; action: SentAction }, words: KindWords = {}): ActionWord {
  const own = Object.hasOwn(words, change.kind) ? words[change.kind][change.action] : undefined;
  return own ? { ...GENERIC[change.action], ...own } : GENERIC[change.action];
}

/** The sentence that follows every delete, in every format. */
export const CANNOT_RECOVER = 'cannot be recovered';
