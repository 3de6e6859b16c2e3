/** The process entry (bin/meetctl.js): the program with the process's own Io, and its exit code. */
import { removeTemporaryFiles } from '../core/atomic-write.js';
import { processIo } from './io.js';
import { runWithIo } from './program.js';

// A run whose work waits on something that can never happen (a request a library never settles)
// would end with Node's exit code 13 and no word: say so, and end as the error it is.
let finished = false;
process.once('beforeExit', () => {
  if (finished) return;
  process.stderr.write('meetctl: internal error: the run stopped with work unfinished and nothing left to wait for; run it again with --log-level debug and report it\n');
  process.exit(1);
});

// validate, plan, drift, show and import do not catch SIGINT or SIGTERM: they stop at once, as
// killed by the signal. A file being written would leave its temporary file beside it: removed
// first, then the signal is let through. apply and the emulator handle the signals themselves.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  const stopNow = () => {
    if (process.listenerCount(signal) > 1) return;
    removeTemporaryFiles();
    process.off(signal, stopNow);
    process.kill(process.pid, signal);
  };
  process.on(signal, stopNow);
}

process.exitCode = await runWithIo(process.argv.slice(2), processIo());
finished = true;
