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
      .catch((error: unknown) => {
        log.error({ err: error }, 'batch failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        schedule(wakeRequested ? 0 : opts.pollMs);
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
