/** apply.yml on a push to main: which reviewed plan is applied, and when nothing is (test/drift/ci-support.ts). */
import { ciStepTests } from './ci-support.js';

ciStepTests('push');
