/** plan.yml on a pull request and drift.yml's nightly issue, step by step (test/drift/ci-support.ts). */
import { ciStepTests } from './ci-support.js';

ciStepTests('pull request and drift');
