/** The reporter's drawing rules, on a clock the test passes in (no timer is waited for). */
import { describe, expect, test } from 'vitest';
import { createProgress, progressLine } from '../../core/progress.js';

function terminal() {
  let t = 1_000;
  const out: string[] = [];
  const progress = createProgress({ label: 'planning', tty: true, intervalMs: 10_000, write: (s) => out.push(s), now: () => t, pauses: () => 2 });
  return { progress, out, at: (ms: number) => (t = 1_000 + ms) };
}

describe('progress reporter', () => {
  test('the line: counts, rate since the start, pauses; an unknown total is said', () => {
    expect(progressLine('planning', { done: 1200, failed: 0, remaining: 3800 }, 13_605, 1_000, 3)).toBe(
      'planning: 1200 done, 0 failed, 3800 remaining · 95.2/s · 3 pauses after 429',
    );
    expect(progressLine('importing', { done: 0, failed: 0 }, 2_000, 1_000, 1)).toBe('importing: 0 done, 0 failed, total not known yet · 0.0/s · 1 pause after 429');
  });

  test('on a terminal: redrawn in place at most every 200 ms, and at 0 remaining with a newline', () => {
    const { progress, out, at } = terminal();
    progress.update({ done: 0, failed: 0, remaining: 3 });
    at(100);
    progress.update({ done: 1, failed: 0, remaining: 2 });
    at(250);
    progress.update({ done: 2, failed: 1, remaining: 1 });
    at(260);
    progress.update({ done: 3, failed: 1, remaining: 0 });
    progress.end();
    expect(out).toEqual([
      '\r\x1b[2Kplanning: 0 done, 0 failed, 3 remaining · 0.0/s · 2 pauses after 429',
      '\r\x1b[2Kplanning: 2 done, 1 failed, 1 remaining · 8.0/s · 2 pauses after 429',
      '\r\x1b[2Kplanning: 3 done, 1 failed, 0 remaining · 11.5/s · 2 pauses after 429\n',
    ]);
  });

  test('on a terminal, a run that ends early still gets its line closed; nothing is drawn after the end', () => {
    const { progress, out, at } = terminal();
    progress.update({ done: 0, failed: 0, remaining: 3 });
    at(50);
    progress.update({ done: 1, failed: 1, remaining: 2 });
    progress.end();
    progress.update({ done: 2, failed: 1, remaining: 1 });
    progress.end();
    expect(out).toEqual([
      '\r\x1b[2Kplanning: 0 done, 0 failed, 3 remaining · 0.0/s · 2 pauses after 429',
      '\r\x1b[2Kplanning: 1 done, 1 failed, 2 remaining · 20.0/s · 2 pauses after 429\n',
    ]);
  });

  test('without a terminal: a run that ends within the first interval prints nothing', () => {
    const out: string[] = [];
    const progress = createProgress({ label: 'applying', tty: false, intervalMs: 2 ** 31 - 1, write: (s) => out.push(s) });
    progress.update({ done: 5, failed: 0, remaining: 0 });
    progress.end();
    expect(out).toEqual([]);
  });
});
