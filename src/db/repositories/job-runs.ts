import { sql } from 'kysely';
import type { Db } from '../schema.js';

/**
 * Claims (job, period) for this instance: the first to insert the row runs it; a claim older than
 * `staleBefore` (its instance died), or a failed run with attempts left, can be taken over. Several
 * instances claiming at once get one winner from the primary key.
 */
export async function claimJobRun(
  db: Db,
  c: { job: string; period: string; instanceId: string; now: Date; staleBefore: Date; maxAttempts: number },
): Promise<boolean> {
  const row = await db
    .insertInto('job_runs')
    .values({ job: c.job, period: c.period, status: 'running', claimed_by: c.instanceId, claimed_at: c.now, attempts: 1 })
    .onConflict((oc) =>
      oc
        .columns(['job', 'period'])
        .doUpdateSet({
          status: 'running',
          claimed_by: c.instanceId,
          claimed_at: c.now,
          attempts: sql<number>`job_runs.attempts + 1`,
          error: null,
        })
        .where((eb) =>
          eb.or([
            eb.and([eb('job_runs.status', '=', 'running'), eb('job_runs.claimed_at', '<', c.staleBefore)]),
            eb.and([eb('job_runs.status', '=', 'failed'), eb('job_runs.attempts', '<', c.maxAttempts)]),
          ]),
        ),
    )
    .returning('job')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishJobRun(
  db: Db,
  f: { job: string; period: string; instanceId: string; error: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ status: f.error === null ? 'done' : 'failed', finished_at: f.at, error: f.error })
    .where('job', '=', f.job)
    .where('period', '=', f.period)
    .where('claimed_by', '=', f.instanceId)
    .execute();
}

/** Which of these periods are done, as `${job} ${period}`. */
export async function listDoneJobRuns(db: Db, periods: readonly string[]): Promise<Set<string>> {
  if (periods.length === 0) return new Set();
  const rows = await db
    .selectFrom('job_runs')
    .select(['job', 'period'])
    .where('status', '=', 'done')
    .where('period', 'in', periods)
    .execute();
  return new Set(rows.map((r) => `${r.job} ${r.period}`));
}
