/**
 * What a provider implements so that core can plan and apply its objects, in the spirit of
 * octoDNS's populate/plan/apply and DNSControl's corrections: core owns the plan, its order, its
 * safety checks (core/policy) and the executor; the provider knows its files, its API and its
 * words. core never speaks the provider's API, and nothing here names one.
 */
import type { Diagnostic } from './diagnostics.js';
import type { FreshResult, SendContext, SendResult } from './executor.js';
import type { Change, JsonObject, Orphan } from './plan.js';
import type { RenderWords } from './render/words.js';

export interface LoadedDocuments<D> {
  documents: D[];
  diagnostics: Diagnostic[];
  fileCount: number;
}

export interface ProviderPlan {
  changes: Change[];
  /** Plan-wide sentences, each printed once near the top (what the provider cannot check). */
  notes: string[];
  /** The server's time when the live state was read (the plan's `createdAt`). */
  nowMs: number;
  /** Owned objects no document declares (deleted only when the plan prunes them). */
  orphans?: Orphan[];
  /** How many owned objects were seen, when the provider tracks ownership. */
  owned?: number;
  /** What could not be read, so was not checked (a listing that failed): a report on this plan cannot say all is in sync. */
  unread?: string[];
  /** The key of each owned object seen: a shard's delete guard counts those in the shard. */
  ownedKeys?: string[];
}

export interface PlanReadOptions {
  env: Readonly<Record<string, string | undefined>>;
  concurrency: number;
  /** Called as objects are read, for progress lines. */
  onProgress?(p: { done: number; failed: number; remaining: number }): void;
  /** Stops the reads; the plan then resolves or rejects soon and is to be discarded. */
  signal?: AbortSignal;
}

export interface LoadHooks<D> {
  /**
   * Once every file is parsed and none failed to, before validation: the documents as written
   * (defaults merged). Read-only work may start from them while the files are validated; keep it
   * only when the validated result has no error, whose documents are then these same objects.
   */
  parsed?(documents: readonly D[]): void;
}

/** How one planned change is sent, and checked for staleness right before. */
export interface ChangeSender {
  /** `stop` aborts when the run is interrupted: send no new request after it; never cut the one on the wire. */
  send(change: Change, stop: AbortSignal, context: SendContext): Promise<SendResult>;
  checkFresh(change: Change, stop: AbortSignal, context: SendContext): Promise<FreshResult>;
}

/** The words of everything core prints for a provider: the renderers' (nouns, kinds, closing sentence), and why a mass change needs --force. */
export interface ProviderWords extends RenderWords {
  massChangeWhy: string;
}

/**
 * `D` is a desired document, `S` a session with the remote API (a client), `C` the provider's
 * request controls recorded in a plan (`Plan.controls`: what apply must do the same way the reviewer saw).
 */
export interface Provider<D, S, C extends JsonObject, O extends PlanReadOptions = PlanReadOptions> {
  words: ProviderWords;
  /** Codes of load warnings that the plan says again on the changes they concern, so not as notes too. */
  repeatedInPlan?: ReadonlySet<string>;
  /** Read and validate the desired state under `dir` (no network); validation yields to the event loop now and then. */
  load(dir: string, hooks?: LoadHooks<D>): Promise<LoadedDocuments<D>>;
  /** The key a document is planned and scoped (--target, --shard) by. */
  keyOf(document: D): string;
  /** Read the live state the documents need and compute their changes. Never writes. */
  plan(session: S, documents: readonly D[], options: O): Promise<ProviderPlan>;
  /** The controls of a saved plan, checked (core only knows they are an object). */
  readControls(controls: JsonObject): { ok: true; controls: C } | { ok: false; message: string };
  sender(session: S, controls: C, env: Readonly<Record<string, string | undefined>>): ChangeSender;
}
