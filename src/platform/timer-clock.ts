import type { Clock } from '../ports.js';

/**
 * A clock that can also wait: what code that sleeps, paces or repeats takes, so tests move time by hand
 * (test/support/test-clock.ts) instead of sleeping in real time.
 */
export interface TimerClock extends Clock {
  /** Resolves once `ms` have passed on this clock. */
  sleep(ms: number): Promise<void>;
  /** Calls `fn` every `ms` until the returned function is called; never keeps the process alive. */
  every(ms: number, fn: () => unknown): () => void;
}

export const systemTimerClock: TimerClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

const isTimerClock = (clock: Clock): clock is TimerClock => 'every' in clock && 'sleep' in clock;

/** The clock's own repeat when it has one (a TimerClock, such as a test's), else a real interval. */
export const everyOn = (clock: Clock): TimerClock['every'] =>
  isTimerClock(clock) ? (ms, fn) => clock.every(ms, fn) : systemTimerClock.every;
