/**
 * Property tests: whatever the files hold, loading them (what `validate` and `plan` do first)
 * resolves with diagnostics, never throws, never hangs and never pollutes Object.prototype.
 */
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { EXAMPLE_FILES, loadAndCheck, mappingArb, mappingText, mutate, mutationArb } from './support.js';

const RUNS = { numRuns: 200 };
const exampleNames = Object.keys(EXAMPLE_FILES);

describe('loadDesiredState on hostile files', () => {
  test('random text (any code points, NUL, BOM, lone surrogates) as a meeting file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        await loadAndCheck({ 'm.yaml': text });
      }),
      RUNS,
    );
  });

  test('random bytes (invalid UTF-8 included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        await loadAndCheck({ 'm.yaml': Buffer.from(bytes).toString('latin1') });
      }),
      RUNS,
    );
  });

  test('random mappings of valid and invalid field names and values, duplicated and prototype keys included', async () => {
    await fc.assert(
      fc.asyncProperty(mappingArb, mappingArb, fc.boolean(), async (meeting, defaults, withDefaults) => {
        await loadAndCheck({
          'team/m.yaml': `id: 1d824a4a205042eba9574e00b711b226\n${mappingText(meeting)}`,
          ...(withDefaults ? { 'defaults.yaml': mappingText(defaults) || 'title: x\n' } : {}),
        });
      }),
      RUNS,
    );
  });

  test('mutations of the example files: deleted lines, swapped characters, duplicated keys, wrong indentation, insertions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...exampleNames), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), async (name, mutations) => {
        await loadAndCheck({ ...EXAMPLE_FILES, [name]: mutate(EXAMPLE_FILES[name], mutations) });
      }),
      RUNS,
    );
  });
});
