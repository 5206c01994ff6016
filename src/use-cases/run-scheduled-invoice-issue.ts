import type { Kysely } from 'kysely';
import { listPartnersToInvoice } from '../db/repositories/issued-invoices.js';
import { claimJobRun, finishJobRun } from '../db/repositories/job-runs.js';
import type { Database } from '../db/schema.js';
import { type IssueOptions, issueInvoicesForMonth } from './issue-invoices.js';
import { toActingPartner } from './partner-views.js';

const ISSUE_JOB = 'invoice.issue';
/** A claim this old whose instance never finished (it died) may be taken over. */
const ISSUE_LEASE_MS = 30 * 60_000;

/** The month before the one `now` falls in (UTC): what the schedule issues. */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

export interface ScheduledIssueOutcome {
  partnerId: string;
  issued: number;
  alreadyIssued: number;
  error?: string;
}

/**
 * The scheduled issue of last month for every partner (INVOICE_ISSUE_SCHEDULE). Claimed in job_runs under
 * the month, so several instances on the same schedule issue once (and issuing itself is serialized per
 * partner, so even two runs would issue each invoice once). Undefined when another instance has it.
 */
export async function runScheduledInvoiceIssue(
  db: Kysely<Database>,
  instanceId: string,
  now: Date,
  opts: IssueOptions = {},
): Promise<ScheduledIssueOutcome[] | undefined> {
  const month = previousMonth(now);
  const claimed = await claimJobRun(db, {
    job: ISSUE_JOB,
    period: month,
    instanceId,
    now,
    staleBefore: new Date(now.getTime() - ISSUE_LEASE_MS),
    maxAttempts: 3,
  });
  if (!claimed) return undefined;
  const outcomes: ScheduledIssueOutcome[] = [];
  let error: string | null = 'interrupted';
  try {
    for (const partner of await listPartnersToInvoice(db)) {
      try {
        const r = await issueInvoicesForMonth(db, { partner: toActingPartner(partner), label: 'job:invoice-issue' }, month, now, {
          ...opts,
          keepDocuments: false,
        });
        if (r.ok) outcomes.push({ partnerId: partner.id, issued: r.value.issuedCount, alreadyIssued: r.value.alreadyIssued });
        else outcomes.push({ partnerId: partner.id, issued: 0, alreadyIssued: 0, error: r.problems.map((p) => p.message).join('; ') });
      } catch (e) {
        outcomes.push({ partnerId: partner.id, issued: 0, alreadyIssued: 0, error: (e as Error).message });
      }
    }
    const failed = outcomes.filter((o) => o.error);
    error = failed.length
      ? failed
          .map((o) => `${o.partnerId}: ${o.error}`)
          .join('; ')
          .slice(0, 2_000)
      : null;
    return outcomes;
  } finally {
    await finishJobRun(db, { job: ISSUE_JOB, period: month, instanceId, error, at: now });
  }
}
