/**
 * The validators meetctl runs are compiled ahead of time from the schemas (scripts/compile-schemas.js):
 * a schema edited without running the script would be checked with its old rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, no types.
import { COMPILED, compiledModule } from '../../scripts/compile-schemas.js';
import { ROOT } from '../support/cli.js';

describe('compiled schema validators', () => {
  for (const { schema, module } of COMPILED as { schema: string; module: string }[]) {
    test(`${module} is what ${schema} compiles to (run node scripts/compile-schemas.js after editing the schema)`, () => {
      expect(readFileSync(join(ROOT, module), 'utf8') === compiledModule(schema)).toBe(true);
    });
  }
});
