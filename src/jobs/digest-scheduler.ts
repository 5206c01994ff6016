import { sql, type Kysely } from 'kysely';
import cron, { type ScheduledTask } from 'node-cron';
import type { BotReply } from '../bot/bot-command.js';
import { buildDailyDigest, buildMonthlyDigest } from '../bot/digest-messages.js';
import type { Database, PartnerRow } from '../db/schema.js';
import { addDays } from '../domain/calendar.js';
import { isOwed, latestDailyRun, latestMonthlyRun } from '../domain/digest-schedule.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';

/** A run claimed this long ago and never finished (its instance died) may be taken over. */
const LEASE_MS = 10 * 60_000;
const MAX_ATTEMPTS = 3;
const DAILY_MAX_LATE_MS = 36 * 3_600_000;
const MONTHLY_MAX_LATE_MS = 7 * 86_400_000;

export interface DigestSpace {
  spaceId: string;
  partnerId: string;
  transport: 'webex' | 'console';
}

/** Where digests go: the Webex transport for Webex spaces, the console inbox for console spaces. */
export type PostDigest = (space: DigestSpace, reply: BotReply) => Promise<void>;

/**
 * Claims (job, period) for this instance: the first to insert the row runs it; a stale claim of a
 * dead instance, or a failed run with attempts left, can be taken over. Several instances ticking
 * at once get one winner from the primary key.
 */
export async function claimJobRun(db: Kysely<Database>, job: string, period: string, instanceId: string, now: Date): Promise<boolean> {
  const stale = new Date(now.getTime() - LEASE_MS);
  const row = await db
    .insertInto('job_runs')
    .values({ job, period, status: 'running', claimed_by: instanceId, claimed_at: now, attempts: 1 })
    .onConflict((oc) =>
      oc
        .columns(['job', 'period'])
        .doUpdateSet({ status: 'running', claimed_by: instanceId, claimed_at: now, attempts: sql<number>`job_runs.attempts + 1`, error: null })
        .where((eb) => eb.or([eb.and([eb('job_runs.status', '=', 'running'), eb('job_runs.claimed_at', '<', stale)]), eb.and([eb('job_runs.status', '=', 'failed'), eb('job_runs.attempts', '<', MAX_ATTEMPTS)])])),
    )
    .returning('job')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishJobRun(db: Kysely<Database>, job: string, period: string, instanceId: string, outcome: { ok: true } | { ok: false; error: string }, now: Date): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ status: outcome.ok ? 'done' : 'failed', finished_at: now, error: outcome.ok ? null : outcome.error.slice(0, 2_000) })
    .where('job', '=', job)
    .where('period', '=', period)
    .where('claimed_by', '=', instanceId)
    .execute();
}

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
export function createDigestScheduler(deps: { db: Kysely<Database>; logger: Logger; clock: Clock; ids: IdSource; instanceId: string; post: PostDigest }): DigestScheduler {
  const { db, clock, ids, instanceId } = deps;
  const log = deps.logger.child({ component: 'digests' });
  let task: ScheduledTask | undefined;
  let running: Promise<number> | undefined;

  async function runOne(job: string, period: string, space: DigestSpace, build: () => Promise<BotReply>): Promise<boolean> {
    const now = clock.now();
    if (!(await claimJobRun(db, job, period, instanceId, now))) return false;
    try {
      await deps.post(space, await build());
      await finishJobRun(db, job, period, instanceId, { ok: true }, clock.now());
      log.info({ job, period }, 'digest posted');
      return true;
    } catch (error) {
      log.error({ err: error, job, period }, 'digest not posted');
      await finishJobRun(db, job, period, instanceId, { ok: false, error: (error as Error).message }, clock.now());
      return false;
    }
  }

  async function runDue(): Promise<number> {
    const now = clock.now();
    const subscriptions = await db
      .selectFrom('digest_subscriptions as d')
      .innerJoin('bot_spaces as s', 's.space_id', 'd.space_id')
      .innerJoin('partners as p', 'p.id', 'd.partner_id')
      .selectAll('p')
      .select(['d.space_id', 'd.local_time', 'd.time_zone', 'd.updated_at as subscribed_at', 's.transport'])
      .where('p.provisioning_state', '=', 'active')
      .execute();
    // Most minutes every run is already done: find those in one query instead of one claim each.
    const candidates = subscriptions.flatMap((sub) => {
      const when = { localTime: sub.local_time, timeZone: sub.time_zone };
      const daily = latestDailyRun(now, when);
      const monthly = latestMonthlyRun(now, when);
      return [
        ...(isOwed(daily, sub.subscribed_at, now, DAILY_MAX_LATE_MS) ? [{ sub, job: 'digest.daily' as const, run: daily }] : []),
        ...(isOwed(monthly, sub.subscribed_at, now, MONTHLY_MAX_LATE_MS) ? [{ sub, job: 'digest.monthly' as const, run: monthly }] : []),
      ].map((c) => ({ ...c, period: `${sub.space_id}@${c.run.period}` }));
    });
    if (candidates.length === 0) return 0;
    const done = new Set(
      (await db.selectFrom('job_runs').select(['job', 'period']).where('status', '=', 'done').where('period', 'in', candidates.map((c) => c.period)).execute()).map((r) => `${r.job} ${r.period}`),
    );
    let posted = 0;
    for (const { sub, job, run, period } of candidates) {
      if (done.has(`${job} ${period}`)) continue;
      const { space_id, local_time: _t, time_zone: _z, subscribed_at: _s, transport, ...partner } = sub;
      const space: DigestSpace = { spaceId: space_id, partnerId: partner.id, transport };
      // The digest of local day D is about the billing day before it.
      const build = job === 'digest.daily' ? () => buildDailyDigest(db, partner as PartnerRow, addDays(run.period, -1)) : () => buildMonthlyDigest(db, partner as PartnerRow, run.period, { now: clock.now(), uuid: ids.uuid });
      if (await runOne(job, period, space, build)) posted++;
    }
    return posted;
  }

  const guarded = () => (running ??= runDue().catch((error) => (log.error({ err: error }, 'digest run failed'), 0)).finally(() => (running = undefined)));

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
