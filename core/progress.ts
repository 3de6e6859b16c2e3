/**
 * Progress of a long run, for stderr. On a terminal: one line redrawn in place. In a CI log a
 * redrawn line piles up as noise and a run silent for minutes looks hung, so there it is one plain
 * line per interval, and none at all for a run that ends within the first interval.
 */

export interface ProgressCounts {
  done: number;
  failed: number;
  /** Undefined while the total is not known yet (a listing has not answered). */
  remaining?: number;
  /** Epoch ms the rate is measured from; default: when the reporter was made. */
  startedAt?: number;
}

export interface ProgressOptions {
  /** What the run is doing: "planning", "applying", "importing". */
  label: string;
  tty: boolean;
  /** Without a terminal: ms between lines (and before the first). */
  intervalMs: number;
  write(text: string): void;
  /**
   * Waits after a 429 so far. Read at each line rather than passed with the counts: while the run
   * waits out a 429 no count moves, and that is when the number matters.
   */
  pauses?(): number;
  now?(): number;
}

export interface Progress {
  update(p: ProgressCounts): void;
  /** Stops the timer and closes the line; call it however the run ends. Later updates are ignored. */
  end(): void;
}

/** A redraw at most this often on a terminal: drawing every change of a fast run costs more than the run. */
const REDRAW_MS = 200;

export function progressLine(label: string, p: ProgressCounts, nowMs: number, startedAt: number, pauses: number): string {
  const rate = p.done / Math.max(0.001, (nowMs - (p.startedAt ?? startedAt)) / 1000);
  const remaining = p.remaining === undefined ? 'total not known yet' : `${p.remaining} remaining`;
  return `${label}: ${p.done} done, ${p.failed} failed, ${remaining} · ${rate.toFixed(1)}/s · ${pauses} pause${pauses === 1 ? '' : 's'} after 429`;
}

export function createProgress(o: ProgressOptions): Progress {
  const now = o.now ?? Date.now;
  const startedAt = now();
  let latest: ProgressCounts = { done: 0, failed: 0 };
  let ended = false;
  const line = () => progressLine(o.label, latest, now(), startedAt, o.pauses?.() ?? 0);
  const view = o.tty ? terminalView(o, line, now) : plainView(o, line);
  return {
    update(p) {
      if (ended) return;
      latest = p;
      view.changed(p);
    },
    end() {
      if (ended) return;
      ended = true;
      view.end();
    },
  };
}

interface View {
  changed(p: ProgressCounts): void;
  end(): void;
}

function terminalView(o: ProgressOptions, line: () => string, now: () => number): View {
  let lastDraw = -Infinity;
  // True while a drawn line has no newline yet: end() closes it, or the next output lands on it.
  let open = false;
  const draw = (close: boolean) => {
    o.write(`\r\x1b[2K${line()}${close ? '\n' : ''}`);
    open = !close;
  };
  return {
    changed(p) {
      const t = now();
      if (t - lastDraw < REDRAW_MS && p.remaining !== 0) return;
      lastDraw = t;
      draw(p.remaining === 0);
    },
    end() {
      if (open) draw(true);
    },
  };
}

function plainView(o: ProgressOptions, line: () => string): View {
  let printed = false;
  const timer = setInterval(() => {
    printed = true;
    o.write(`${line()}\n`);
  }, o.intervalMs);
  // A progress line is no reason to keep the process alive once the run is over.
  timer.unref();
  return {
    changed() {},
    end() {
      clearInterval(timer);
      if (printed) o.write(`${line()}\n`);
    },
  };
}
