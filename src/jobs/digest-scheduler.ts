import cron, { type ScheduledTask } from 'node-cron';
import type { BotReply } from '../bot/bot-command.js';
import { formatDailyDigest, formatMonthlyDigest } from '../bot/digest-messages.js';
import { addDays } from '../domain/calendar.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';
import type { DigestSpace } from '../use-cases/digest-runs.js';
import type { UseCases } from '../use-cases/use-cases.js';
import type { Metrics } from '../platform/metrics.js';

export type { DigestSpace };

/** Where digests go: the Webex transport for Webex spaces, the console inbox for console spaces. */
export type PostDigest = (space: DigestSpace, reply: BotReply) => Promise<void>;

export interface DigestScheduler {
  /** Posts every digest due now and not yet posted by any instance; returns how many it posted. */
  runDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Digests per space, each at its own local time. node-cron only wakes this every minute (and the
 * start catches up): what is due comes from the subscriptions and job_runs in the database, so a
 * run missed while the service was down is posted once at the next start, and several instances
 * post each digest once.
 */
export function createDigestScheduler(deps: {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  instanceId: string;
  post: PostDigest;
  metrics?: Metrics | undefined;
}): DigestScheduler {
  const { useCases, clock, ids, instanceId } = deps;
  const log = deps.logger.child({ component: 'digests' });
  let task: ScheduledTask | undefined;
  let running: Promise<number> | undefined;

  async function runOne(job: string, period: string, space: DigestSpace, build: () => Promise<BotReply>): Promise<boolean> {
    const now = clock.now();
    if (!(await useCases.claimDigestRun(job, period, instanceId, now))) return false;
    try {
      await deps.post(space, await build());
      await useCases.finishDigestRun(job, period, instanceId, { ok: true }, clock.now());
      log.info({ job, period }, 'digest posted');
      deps.metrics?.digestRuns.inc({ job, outcome: 'posted' });
      return true;
    } catch (error) {
      log.error({ err: error, job, period }, 'digest not posted');
      deps.metrics?.digestRuns.inc({ job, outcome: 'failed' });
      await useCases.finishDigestRun(job, period, instanceId, { ok: false, error: (error as Error).message }, clock.now());
      return false;
    }
  }

  async function runDue(): Promise<number> {
    let posted = 0;
    for (const { job, period, runPeriod, space, partner } of await useCases.listOwedDigestRuns(clock.now())) {
      // The digest of local day D is about the billing day before it.
      const build =
        job === 'digest.daily'
          ? async () => formatDailyDigest(await useCases.loadDailyDigest(partner, addDays(runPeriod, -1), clock.now()))
          : async () => formatMonthlyDigest(await useCases.prepareMonthlyDigest(partner, runPeriod, { now: clock.now(), uuid: ids.uuid }));
      if (await runOne(job, period, space, build)) posted++;
    }
    return posted;
  }

  const guarded = () =>
    (running ??= runDue()
      .catch((error) => (log.error({ err: error }, 'digest run failed'), 0))
      .finally(() => (running = undefined)));

  return {
    runDue,
    start() {
      task = cron.schedule('* * * * *', () => guarded(), { name: `digests-${instanceId}`, noOverlap: true });
      void guarded();
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      await running;
    },
  };
}
