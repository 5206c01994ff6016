import type { Logger } from '../logger.js';

export interface Poller {
  start(): void;
  /** Runs batches until one finds nothing to do; tests and benchmarks call it directly. */
  drain(): Promise<number>;
  /** Work was just queued: run now instead of at the next poll. */
  wake(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

const FAILURE_LOG_EVERY_MS = 30_000;
const MAX_BACKOFF_MS = 2_000;

/** pollMs doubling per consecutive failure, at most MAX_BACKOFF_MS (never below pollMs). */
const backoff = (pollMs: number, failures: number) => Math.max(pollMs, Math.min(pollMs * 2 ** failures, MAX_BACKOFF_MS));

/**
 * The loop every background worker shares: poll every `pollMs`, run batches until idle, never two
 * batches at once in one process (several processes are kept apart by row leases in the database).
 */
export function createPoller(name: string, runBatch: () => Promise<number>, opts: { pollMs: number; logger: Logger }): Poller {
  const log = opts.logger.child({ component: name });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;
  let wakeRequested = false;
  // While the database is away every batch fails: the poller backs off and logs the first failure,
  // then at most one line per FAILURE_LOG_EVERY_MS, and once more when a batch succeeds again.
  let failures = 0;
  let lastFailureLogAt = 0;

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await runBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
  }

  function tick() {
    if (running || stopped) return;
    wakeRequested = false;
    running = drain()
      .then((n) => {
        if (failures > 0) log.info({ failures }, 'batches succeed again');
        failures = 0;
        return n;
      })
      .catch((error: unknown) => {
        failures += 1;
        const now = Date.now();
        if (failures === 1 || now - lastFailureLogAt >= FAILURE_LOG_EVERY_MS) {
          lastFailureLogAt = now;
          log.error({ err: error, failures }, failures === 1 ? 'batch failed' : 'batches still failing');
        }
        return 0;
      })
      .finally(() => {
        running = undefined;
        schedule(failures > 0 ? backoff(opts.pollMs, failures) : wakeRequested ? 0 : opts.pollMs);
      });
  }

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    drain,
    wake() {
      wakeRequested = true;
      if (!running) schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
