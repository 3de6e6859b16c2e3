/**
 * The `yaml` package, loaded on first use: most files take the plain fast path (plain-yaml.ts) and
 * report nothing, so most runs never need the full parser, and loading it is a good part of a short
 * run's start. It is CommonJS for Node, so requiring it keeps every caller synchronous, and gives
 * the module instance `import` would.
 */
import type * as Yaml from 'yaml';
import { lazyModule } from '../lazy-module.js';

export const yamlPackage = lazyModule<typeof Yaml>('yaml');
