/**
 * CPU time by thread on Linux (/proc/self/task): the main thread runs meetctl's code; the others are
 * V8's, compiling hot functions and collecting garbage in the background. Both count in a
 * process's CPU time, and they explain most of its spread from run to run.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadSplit {
  mainMs: number;
  othersMs: number;
}

/** CPU ms of each thread of this process, by thread id, to 10 ms (undefined where /proc is missing). */
export function threadCpu(): Map<number, number> | undefined {
  try {
    const ms = new Map<number, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // utime and stime (fields 14 and 15 of proc(5)) in ticks of 10 ms, counted from after the name.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
    }
    return ms;
  } catch {
    return undefined;
  }
}

/** What each side spent since `before` (a thread that has ended since is not counted). */
export function threadsSince(before: Map<number, number> | undefined = new Map()): ThreadSplit | undefined {
  const after = threadCpu();
  if (!after) return undefined;
  const split = { mainMs: 0, othersMs: 0 };
  for (const [tid, ms] of after) {
    const spent = ms - (before.get(tid) ?? 0);
    if (tid === process.pid) split.mainMs += spent;
    else split.othersMs += spent;
  }
  return split;
}
