import { tokenRefused } from '../domain/upstream-health.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { planReport, type ReportType } from '../domain/billing-reports.js';
import { fail, problem, type Problem, type Result } from '../domain/problems.js';
import { UpstreamDownloadError, UpstreamError, type WebexWholesalePort } from '../ports.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { reconcileBillingReport, type ReconciliationItem } from './reconciliations.js';

export interface ReconcileFromWebexInput {
  billingStartDate?: string | undefined;
  billingEndDate?: string | undefined;
  /** The report Cisco is asked for (USER by default: the finest level, every difference down to a subscriber). */
  type?: ReportType | undefined;
  toleranceUnits: number;
  source: 'webex';
}

/**
 * The fetch path: Cisco's billing report for the period is created in Webex Wholesale, polled until it
 * is COMPLETED, and its file streamed from `tempDownloadURL` straight into the same reconciliation as
 * an upload (never held whole). A report of that period and type Webex is still making (an earlier
 * request that gave up waiting) is picked up rather than asked for twice. Standalone there is nothing
 * to fetch from: the caller is told to send the file.
 */
export async function reconcileFromWebex(
  db: Kysely<Database>,
  actor: Actor,
  input: ReconcileFromWebexInput,
  deps: UseCaseDeps & { upstream?: WebexWholesalePort | undefined },
): Promise<Result<ReconciliationItem>> {
  const upstream = deps.upstream;
  if (!upstream)
    return fail(
      problem(
        'reconciliation_file_required',
        "the desk runs standalone (not connected to Webex Wholesale), so it cannot fetch Cisco's billing report: send the report's CSV (Content-Type: text/csv, or attach it in chat)",
      ),
    );
  const type = input.type ?? 'USER';
  const plan = planReport({ billingStartDate: input.billingStartDate, billingEndDate: input.billingEndDate, type }, deps.now);
  if (!plan.ok) return plan;
  const { from, to } = plan.value;
  const subPartnerOrgId = actor.partner.parentId ? actor.partner.orgId : undefined;
  const broke: { error?: UpstreamDownloadError } = {};
  try {
    const pending = await upstream.listBillingReports({
      billingStartDate: from,
      billingEndDate: to,
      type,
      status: 'IN_PROGRESS',
      subPartnerOrgId,
    });
    const id =
      pending.find((r) => r.billingStartDate === from && r.billingEndDate === to)?.id ??
      (
        await upstream.createBillingReport({
          billingStartDate: from,
          billingEndDate: to,
          type,
          ...(subPartnerOrgId ? { subPartnerOrgId } : {}),
        })
      ).id;
    const report = await upstream.waitForBillingReport(id);
    if (!report) return fail(problem('upstream_report_failed', `Cisco's billing report ${id} is gone (Webex answered 404)`));
    if (report.status === 'IN_PROGRESS')
      return fail(
        problem(
          'upstream_report_pending',
          `Cisco's billing report ${id} is still being made; ask again later (the same report is picked up, not made twice)`,
        ),
      );
    if (report.status !== 'COMPLETED' || !report.tempDownloadURL)
      return fail(
        problem(
          'upstream_report_failed',
          `Cisco's billing report ${id} ended ${report.status}${report.status === 'COMPLETED' ? ' without a download URL' : ''}`,
        ),
      );
    const done = await reconcileBillingReport(
      db,
      actor,
      {
        billingStartDate: from,
        billingEndDate: to,
        toleranceUnits: input.toleranceUnits,
        source: input.source,
        upload: noting(upstream.downloadBillingReport(report.tempDownloadURL), broke),
        origin: { webexReportId: id },
      },
      deps,
    );
    // The parser reports a broken download as a bad file; the download's own error says what happened.
    if (!done.ok && broke.error) return fail(downloadProblem(broke.error));
    return done;
  } catch (error) {
    if (error instanceof UpstreamDownloadError) return fail(downloadProblem(error));
    if (error instanceof UpstreamError) {
      const tracking = error.details.trackingId ? ` (trackingId ${error.details.trackingId})` : '';
      if (error.kind === 'unauthorized')
        return fail(problem('upstream_unauthorized', `${tokenRefused(undefined, error.details.status)}${tracking}`));
      return fail(problem(error.kind === 'rejected' ? 'upstream_refused' : 'upstream_unavailable', `${error.message}${tracking}`));
    }
    throw error;
  }
}

const downloadProblem = (e: UpstreamDownloadError): Problem =>
  problem(e.kind === 'refused' ? 'upstream_download_refused' : 'upstream_download_failed', e.message);

/** The download's chunks, keeping its error (if any) where the caller can tell it from a bad file. */
async function* noting(chunks: AsyncIterable<Uint8Array>, broke: { error?: UpstreamDownloadError }): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof UpstreamDownloadError) broke.error = error;
    throw error;
  }
}
