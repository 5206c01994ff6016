import { claimJobRun, finishJobRun } from '../db/repositories/job-runs.js';
import { findRootPartner, listAllSubPartners } from '../db/repositories/partners.js';
import { UpstreamError, type WebexWholesalePort } from '../ports.js';
import type { UseCaseDeps } from './actor.js';
import type { Store } from './store.js';
import { type SyncSummary, syncWithWebex } from './sync-with-webex.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';

export interface PartnerSyncOutcome {
  partner: ActingPartner;
  summary?: SyncSummary;
  /** Why this partner's sync did not complete (Webex failing, standalone). */
  error?: string;
}

/** Syncs the root partner and then each sub-partner (their customers are read on their behalf); one failing does not stop the others. */
export async function syncEveryPartner(
  db: Store,
  upstream: WebexWholesalePort | undefined,
  root: ActingPartner,
  label: string,
  deps: UseCaseDeps,
): Promise<PartnerSyncOutcome[]> {
  const outcomes: PartnerSyncOutcome[] = [];
  for (const partner of [root, ...(await listAllSubPartners(db, root.id)).map(toActingPartner)]) {
    try {
      const r = await syncWithWebex(db, upstream, { partner, label }, deps);
      outcomes.push(r.ok ? { partner, summary: r.value } : { partner, error: r.problems.map((p) => p.message).join('; ') });
      if (!r.ok) break; // standalone: the same for every partner
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      outcomes.push({ partner, error: error.message });
    }
  }
  return outcomes;
}

/** One line per partner, for the CLI and the job's log. */
export const describeSyncOutcome = (o: PartnerSyncOutcome): string => {
  if (!o.summary) return `${o.partner.name}: sync failed: ${o.error}`;
  const s = o.summary;
  const found = s.drift.only_webex + s.drift.only_desk + s.drift.status + s.drift.packages;
  return (
    `${o.partner.name}: ${s.mode}; Webex has ${s.webexCustomers} customers, ${s.webexSubscribers} subscribers` +
    (s.mode === 'import'
      ? `; imported ${s.customersImported} customers, ${s.subscribersImported} subscribers (${s.subscribersSkipped} skipped)`
      : '') +
    `; drift: ${found ? `${s.drift.only_webex} only in Webex, ${s.drift.only_desk} only in the desk, ${s.drift.status} status, ${s.drift.packages} packages` : 'none'}` +
    `; ${s.openDrift} open`
  );
};

const SYNC_JOB = 'upstream.sync';
/** A scheduled sync claimed this long ago and never finished (its instance died) may be taken over. */
const SYNC_LEASE_MS = 30 * 60_000;

/**
 * The scheduled sync of `period` (the minute the schedule fired), on whichever instance claims it
 * first: several instances on one schedule sync once. Undefined when another instance has it.
 */
export async function runScheduledSync(
  db: Store,
  upstream: WebexWholesalePort,
  period: string,
  instanceId: string,
  deps: UseCaseDeps,
): Promise<PartnerSyncOutcome[] | undefined> {
  const claimed = await claimJobRun(db, {
    job: SYNC_JOB,
    period,
    instanceId,
    now: deps.now,
    staleBefore: new Date(deps.now.getTime() - SYNC_LEASE_MS),
    maxAttempts: 1,
  });
  if (!claimed) return undefined;
  let error: string | null = 'interrupted';
  try {
    const root = await findRootPartner(db);
    const outcomes = root ? await syncEveryPartner(db, upstream, toActingPartner(root), 'system:sync', deps) : [];
    const failed = outcomes.filter((o) => o.error);
    error = failed.length
      ? failed
          .map((o) => `${o.partner.name}: ${o.error}`)
          .join('; ')
          .slice(0, 2_000)
      : null;
    return outcomes;
  } finally {
    await finishJobRun(db, { job: SYNC_JOB, period, instanceId, error, at: new Date() });
  }
}
