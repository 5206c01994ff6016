import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';

export interface MonthChargesJob {
  /** Refreshes every partner's kept month that is missing or out of date; answers the partners refreshed. */
  runNow(): Promise<{ partnerId: string; ms: number }[]>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Keeps the dashboard's month charges current in the background, so that no request runs the
 * whole-month pass (62–104 s at 1,000,000 subscribers): every minute (the first firing after 00:00 UTC
 * takes the new day; a changed price book or billing start is taken within a minute) and at start, it
 * refreshes each partner whose kept month is missing or out of date. Checking costs two small reads per
 * partner; the refresh is long work, one partner at a time, and an advisory lock makes several instances
 * compute each month once. Until it is done the dashboard shows the last kept figures, marked refreshing.
 */
export function createMonthChargesJob(deps: { useCases: UseCases; logger: Logger; clock: Clock; instanceId: string }): MonthChargesJob {
  const log = deps.logger.child({ component: 'month-charges' });
  let task: ScheduledTask | undefined;
  let running: Promise<{ partnerId: string; ms: number }[]> | undefined;

  async function runNow() {
    const done = await deps.useCases.refreshStaleMonthCharges(deps.clock.now());
    for (const d of done) log.info({ partnerId: d.partnerId, ms: d.ms }, 'month charges refreshed');
    return done;
  }

  const guarded = () =>
    (running ??= runNow()
      .catch((error) => (log.error({ err: error }, 'month charges refresh failed'), []))
      .finally(() => (running = undefined)));

  return {
    runNow,
    start() {
      task = cron.schedule('* * * * *', () => void guarded(), {
        name: `month-charges-${deps.instanceId}`,
        timezone: 'Etc/UTC',
        noOverlap: true,
      });
      void guarded();
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      await running;
    },
  };
}
