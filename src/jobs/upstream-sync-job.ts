import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import { describeSyncOutcome } from '../use-cases/sync-every-partner.js';
import type { UseCases } from '../use-cases/use-cases.js';

export interface UpstreamSyncJob {
  /** Runs the sync of the minute `at` falls in, unless another instance has; answers whether this one ran it. */
  runAt(at: Date): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The scheduled `sync` with Webex Wholesale (WEBEX_SYNC_SCHEDULE, cron in UTC): reports drift, never
 * overwrites. Each firing is claimed in job_runs under its minute, so several instances on the same
 * schedule sync once; a run still going when the next fires is not started twice on one instance.
 */
export function createUpstreamSyncJob(deps: {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  upstream: WebexWholesalePort;
  schedule: string;
  instanceId: string;
}): UpstreamSyncJob {
  const log = deps.logger.child({ component: 'upstream-sync' });
  let task: ScheduledTask | undefined;
  let running: Promise<boolean> | undefined;

  async function runAt(at: Date): Promise<boolean> {
    const period = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    const now = deps.clock.now();
    const outcomes = await deps.useCases.runScheduledSync(deps.upstream, period, deps.instanceId, {
      now,
      uuid: deps.ids.uuid,
      viaWebex: true,
    });
    if (!outcomes) return false;
    for (const o of outcomes)
      (o.summary ? log.info : log.warn).call(log, { partnerId: o.partner.id, ...o.summary }, describeSyncOutcome(o));
    return true;
  }

  return {
    runAt,
    start() {
      task = cron.schedule(
        deps.schedule,
        () => {
          running ??= runAt(deps.clock.now())
            .catch((error) => (log.error({ err: error }, 'scheduled sync failed'), false))
            .finally(() => (running = undefined));
        },
        { name: `upstream-sync-${deps.instanceId}`, timezone: 'Etc/UTC', noOverlap: true },
      );
      log.info({ schedule: deps.schedule }, 'scheduled sync with Webex Wholesale');
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      await running;
    },
  };
}
