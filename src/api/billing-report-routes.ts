import { attachmentHeader } from './attachment-header.js';
import { Hono, type Context } from 'hono';
import { toReportId } from '../use-cases/billing-report-queries.js';
import { checkDownloadSignature, signDownload } from '../platform/download-signature.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, readJsonBody, respondPage, toPage } from './read-body.js';
import { createReportBodySchema, listReportsQuerySchema } from '../contracts/index.js';
import { DOWNLOAD_LINK_TTL_SECONDS } from '../use-cases/signing-keys.js';

/** A download link lives 30 minutes from the GET that handed it out. */
export const DOWNLOAD_TTL_SECONDS = DOWNLOAD_LINK_TTL_SECONDS;

const downloadKeysOf = (deps: AppDeps) =>
  deps.downloadKeys ? deps.downloadKeys.keys() : Promise.resolve({ signing: deps.downloadSecret, verifying: [deps.downloadSecret] });

/** A completed report's signed CSV link, valid DOWNLOAD_TTL_SECONDS from now; none for a report not finished. */
async function downloadUrlOf(deps: AppDeps, r: { id: string; status: string }): Promise<string | undefined> {
  if (r.status !== 'COMPLETED') return undefined;
  const expires = Math.floor(deps.clock.now().getTime() / 1000) + DOWNLOAD_TTL_SECONDS;
  return `${deps.config.PUBLIC_URL}/v1/downloads/billing-reports/${r.id}?expires=${expires}&signature=${signDownload((await downloadKeysOf(deps)).signing, r.id, expires)}`;
}

export function createBillingReportRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope('spark-admin:wholesale_billing_reports_read');
  const write = requireScope('spark-admin:wholesale_billing_reports_write');
  const actorOf = (c: Context<AppEnv>) => ({ partner: c.get('auth').partner, label: c.get('auth').actorLabel });

  app.post('/', write, async (c) => {
    const body = await readJsonBody(c, createReportBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const result = await deps.useCases.createReport(actorOf(c), body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    if (result.value.created) deps.onWorkQueued?.();
    return c.json(toReportId(result.value.report), 200);
  });

  app.get('/', read, async (c) => {
    const q = parseQuery(c, listReportsQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    // Cisco documents "up to 100 per page" for billing reports.
    const page = toPage(q.value, { max: 100, limit: 100 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listBillingReports({
      requestedBy: c.get('auth').partner.id,
      ...q.value,
      sortBy: q.value.sortBy ?? 'billingStartDate',
      ...page.value,
    });
    const items = respondPage(c, rows, page.value, deps.config.PUBLIC_URL);
    // Each completed report carries its download link, as GET /{id} does: a list needs no request per report.
    const links = await Promise.all(items.map((r) => downloadUrlOf(deps, r)));
    return c.json({
      items: items.map((r, i) => ({ ...r, ...(links[i] ? { tempDownloadURL: links[i] } : {}) })),
    });
  });

  app.get('/:id', read, async (c) => {
    const result = await deps.useCases.getReport(actorOf(c), c.req.param('id'));
    if (!result.ok) return respondProblems(c, result.problems);
    const r = result.value;
    const tempDownloadURL = await downloadUrlOf(deps, r);
    return c.json({ ...r, ...(tempDownloadURL ? { tempDownloadURL } : {}) });
  });

  app.post('/:id/regenerate', write, async (c) => {
    const result = await deps.useCases.regenerateReport(actorOf(c), c.req.param('id'), useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    deps.onWorkQueued?.();
    return c.json(toReportId(result.value), 200);
  });

  app.delete('/:id', write, async (c) => {
    const result = await deps.useCases.removeReport(actorOf(c), c.req.param('id'), useCaseDeps(deps));
    return result.ok ? c.body(null, 204) : respondProblems(c, result.problems);
  });
  return app;
}

/** The signed CSV download: no bearer token (the link is the credential), dead once the report is deleted. */
export function createReportDownloadRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/billing-reports/:id', async (c) => {
    const id = c.req.param('id');
    const check = checkDownloadSignature(
      (await downloadKeysOf(deps)).verifying,
      id,
      c.req.query('expires'),
      c.req.query('signature'),
      Math.floor(deps.clock.now().getTime() / 1000),
      DOWNLOAD_TTL_SECONDS,
    );
    if (!check.ok) return respondProblems(c, check.problems);
    const report = await deps.useCases.findDownloadableReport(id);
    if (!report) return respondProblems(c, [{ code: 'report_not_found', message: 'Billing Report not found.' }]);
    const stream = await deps.useCases.csvStream(report);
    const filename = `${report.type.toLowerCase()}-report-${report.billing_start_date}_${report.billing_end_date}.csv`;
    return new Response(stream, {
      status: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachmentHeader(filename),
        'Cache-Control': 'no-store',
      },
    });
  });
  return app;
}
