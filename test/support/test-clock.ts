import type { TimerClock } from '../../src/platform/timer-clock.js';

interface Timer {
  at: number;
  seq: number;
  fire(): unknown;
  /** Repeating timers come back this much later. */
  every?: number;
}

/**
 * A clock tests move by hand. Sleeps and repeats run on it: `advance` fires what falls due, in order;
 * `tick` also waits for what the fired timers started; `run` lets a promise go on, jumping to the next
 * timer whenever nothing else is left to do, so code that waits seconds finishes at once.
 */
export class TestClock implements TimerClock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  constructor(start: string | Date = '2026-06-15T12:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(instant: string | Date): void {
    this.current = new Date(instant).getTime();
  }
  /** Moves the clock on by `ms`, firing every timer that falls due, at its own time, in order. */
  advance(ms: number): void {
    this.fireUntil(this.current + ms);
  }
  /** Like advance, then waits for whatever the fired timers returned (a renewal's query, say). */
  async tick(ms: number): Promise<void> {
    await Promise.allSettled(this.fireUntil(this.current + ms).map((v) => Promise.resolve(v)));
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.add({ at: this.current + Math.max(0, ms), fire: resolve }));
  }
  every(ms: number, fn: () => unknown): () => void {
    const timer: Timer = { at: this.current + ms, seq: 0, fire: fn, every: ms };
    this.add(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  /** Timers waiting to fire. */
  pending(): number {
    return this.timers.length;
  }
  /**
   * Settles `work`, letting real I/O and promises run, and jumping the clock to the next timer each
   * time the work has nothing else to wait for.
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    done.catch(() => undefined);
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      const next = this.timers[0];
      if (next) this.fireUntil(next.at);
      else await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return done;
  }

  private add(timer: Omit<Timer, 'seq'>): void {
    const queued = Object.assign(timer, { seq: this.seq++ });
    this.timers.push(queued);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }
  private fireUntil(end: number): unknown[] {
    const results: unknown[] = [];
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      if (next.every !== undefined) this.add(Object.assign(next, { at: next.at + next.every }));
      results.push(next.fire());
    }
    this.current = Math.max(this.current, end);
    return results;
  }
}
