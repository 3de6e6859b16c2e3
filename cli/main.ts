/** The process entry (bin/meetctl.js): the program with the process's own Io, and its exit code. */
import { processIo } from './io.js';
import { runWithIo } from './program.js';

process.exitCode = await runWithIo(process.argv.slice(2), processIo());
