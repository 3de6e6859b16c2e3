/**
 * The `yaml` package, loaded on first use: most files take the plain fast path (plain-yaml.ts) and
 * report nothing, so most runs never need the full parser, and loading it is a good part of a short
 * run's start. It is CommonJS for Node, so requiring it keeps every caller synchronous, and gives
 * the module instance `import` would.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);
let loaded: typeof Yaml | undefined;

export function yamlPackage(): typeof Yaml {
  return (loaded ??= require('yaml') as typeof Yaml);
}
