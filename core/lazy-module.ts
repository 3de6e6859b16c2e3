/**
 * A CommonJS package loaded on first use, not with the module that needs it: most runs never reach
 * the full YAML parser, rrule or pino, and commands that never call the API never need undici, yet
 * loading them was a good part of a short run's start. `require` keeps every caller synchronous and
 * gives the module instance `import` would.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
