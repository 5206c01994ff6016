import type { TestHarness } from './test-app.js';

/**
 * Runs the harness's worker, moving its clock a minute past each wait, until `done` holds: the one loop
 * for suites against the fake Webex, which settles on its own (real) time between rounds. Fails after
 * `rounds` rounds.
 */
export async function runWorkerUntil(
  h: TestHarness,
  done: () => Promise<boolean> | boolean,
  { rounds = 100, pauseMs = 25 }: { rounds?: number; pauseMs?: number } = {},
): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await h.worker.drain();
    if (await done()) return;
    h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`never settled in ${rounds} rounds`);
}
