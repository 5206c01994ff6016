import type { Clock } from '../../src/ports.js';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private current: number;
  constructor(start: string | Date = '2026-06-15T12:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(instant: string | Date): void {
    this.current = new Date(instant).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
