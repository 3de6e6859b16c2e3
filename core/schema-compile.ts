/**
 * Compiling a JSON Schema with ajv at run time, apart from schema-check.ts: ajv's compiler is a
 * large module, and the desired-state schemas are compiled ahead of time (scripts/compile-schemas.js),
 * so only what compiles a schema at run time (the seed schema of `import --snapshot`) loads it.
 */
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { CompiledSchema } from './schema-check.js';

// ajv-formats is CommonJS; depending on how it is loaded the plugin is the module or its `.default`.
const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ?? formatsPlugin) as (ajv: Ajv) => Ajv;

/**
 * Compile once. Besides the standard keywords the schema may carry `patternErrorMessage` (the
 * message editors show too) to explain a pattern in words, and `errorMessage` beside a `required`
 * or a `not` to say in words what a file must (or must not) hold together, e.g. one of two fields.
 */
export function compileSchema(schema: object): CompiledSchema {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  return { validate: ajv.compile(schema) };
}
