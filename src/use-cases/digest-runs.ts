import { listActiveDigestSubscriptions } from '../db/repositories/digest-subscriptions.js';
import { claimJobRun, finishJobRun, listDoneJobRuns } from '../db/repositories/job-runs.js';
import type { ChatTransport } from '../domain/chat-transports.js';
import { isOwed, latestDailyRun, latestMonthlyRun } from '../domain/digest-schedule.js';
import type { Store } from './store.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';

/** A run claimed this long ago and never finished (its instance died) may be taken over. */
const LEASE_MS = 10 * 60_000;
const MAX_ATTEMPTS = 3;
const DAILY_MAX_LATE_MS = 36 * 3_600_000;
const MONTHLY_MAX_LATE_MS = 7 * 86_400_000;

export interface DigestSpace {
  spaceId: string;
  partnerId: string;
  transport: ChatTransport;
}

export interface OwedDigestRun {
  job: 'digest.daily' | 'digest.monthly';
  /** The job run's key: the space and the local day (daily) or month (monthly). */
  period: string;
  /** The local day or month the run belongs to. */
  runPeriod: string;
  space: DigestSpace;
  partner: ActingPartner;
}

/**
 * The digests owed now and not yet posted by any instance: each subscription's latest daily and
 * monthly run at its local time, unless too late or already done. Most minutes every run is already
 * done: those are found in one query instead of one claim each.
 */
export async function listOwedDigestRuns(db: Store, now: Date): Promise<OwedDigestRun[]> {
  const subscriptions = await listActiveDigestSubscriptions(db);
  const candidates = subscriptions.flatMap((sub) => {
    const when = { localTime: sub.local_time, timeZone: sub.time_zone };
    const daily = latestDailyRun(now, when);
    const monthly = latestMonthlyRun(now, when);
    const { space_id, local_time: _t, time_zone: _z, subscribed_at, transport, ...row } = sub;
    const partner = toActingPartner(row);
    const space: DigestSpace = { spaceId: space_id, partnerId: partner.id, transport };
    return [
      ...(isOwed(daily, subscribed_at, now, DAILY_MAX_LATE_MS) ? [{ job: 'digest.daily' as const, runPeriod: daily.period }] : []),
      ...(isOwed(monthly, subscribed_at, now, MONTHLY_MAX_LATE_MS) ? [{ job: 'digest.monthly' as const, runPeriod: monthly.period }] : []),
    ].map((c) => ({ ...c, period: `${space_id}@${c.runPeriod}`, space, partner }));
  });
  if (candidates.length === 0) return [];
  const done = await listDoneJobRuns(
    db,
    candidates.map((c) => c.period),
  );
  return candidates.filter((c) => !done.has(`${c.job} ${c.period}`));
}

/**
 * Claims (job, period) for this instance: the first to claim runs it; a stale claim of a dead
 * instance, or a failed run with attempts left, can be taken over.
 */
export const claimDigestRun = (db: Store, job: string, period: string, instanceId: string, now: Date): Promise<boolean> =>
  claimJobRun(db, { job, period, instanceId, now, staleBefore: new Date(now.getTime() - LEASE_MS), maxAttempts: MAX_ATTEMPTS });

export const finishDigestRun = (
  db: Store,
  job: string,
  period: string,
  instanceId: string,
  outcome: { ok: true } | { ok: false; error: string },
  now: Date,
): Promise<void> => finishJobRun(db, { job, period, instanceId, error: outcome.ok ? null : outcome.error.slice(0, 2_000), at: now });
