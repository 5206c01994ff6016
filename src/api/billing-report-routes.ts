import { csvAttachment } from './attachment-header.js';
import type { Context } from 'hono';
import { checkDownloadSignature, signDownload } from '../platform/download-signature.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { DOWNLOAD_LINK_TTL_SECONDS } from '../use-cases/signing-keys.js';
import { asContent, contract, createRouter } from './openapi.js';
import {
  createReportBodySchema,
  listOf as list,
  listReportsQuerySchema,
  reportIdResponseSchema,
  reportListItemSchema,
  reportResponseSchema,
} from '../contracts/index.js';

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

const createBillingReportRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createBillingReport',
  tag: 'Billing reports',
  summary: 'Create a billing report (generated asynchronously)',
  scope: 'spark-admin:wholesale_billing_reports_write',
  body: createReportBodySchema,
  // A subPartnerOrgId in the body that is none of the partner's (404), a report for the period already there (409).
  errors: [404, 409],
  status: 200,
  response: reportIdResponseSchema,
});

const listBillingReportsRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listBillingReports',
  tag: 'Billing reports',
  summary: 'List billing reports (filters match exactly)',
  scope: 'spark-admin:wholesale_billing_reports_read',
  query: listReportsQuerySchema,
  status: 200,
  response: list(reportListItemSchema),
});

const getBillingReportRoute = contract({
  method: 'get',
  path: '/{id}',
  operationId: 'getBillingReport',
  tag: 'Billing reports',
  summary: 'Get a billing report with its 30-minute tempDownloadURL',
  scope: 'spark-admin:wholesale_billing_reports_read',
  status: 200,
  response: reportResponseSchema,
});

const regenerateBillingReportRoute = contract({
  method: 'post',
  path: '/{id}/regenerate',
  operationId: 'regenerateBillingReport',
  tag: 'Billing reports',
  summary: 'Generate a finished report again under the same id (a stale one: its period changed after it was made)',
  scope: 'spark-admin:wholesale_billing_reports_write',
  errors: [409],
  status: 200,
  response: reportIdResponseSchema,
});

const deleteBillingReportRoute = contract({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteBillingReport',
  tag: 'Billing reports',
  summary: 'Delete a billing report (its download link dies with it)',
  scope: 'spark-admin:wholesale_billing_reports_write',
  status: 204,
});

const downloadBillingReportRoute = contract({
  method: 'get',
  path: '/billing-reports/{id}',
  operationId: 'downloadBillingReport',
  tag: 'Billing reports',
  summary:
    "A billing report's CSV: the tempDownloadURL of GET /wholesale/billing/reports/{id} (the signed URL is the credential; no bearer token)",
  auth: 'none',
  parameters: [
    {
      name: 'expires',
      description: 'Unix seconds when the link expires (links live 30 minutes)',
      schema: { type: 'string', pattern: '^\\d{1,12}$' },
    },
    {
      name: 'signature',
      description: 'HMAC-SHA256 of the report id and `expires`, hex',
      schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  ],
  status: 200,
  responseContent: { type: 'text/csv', description: 'The report as CSV (Content-Disposition: attachment)' },
});

export function createBillingReportRoutes(deps: AppDeps) {
  const app = createRouter();
  const actorOf = (c: Context<AppEnv>) => ({ partner: c.get('auth').partner, label: c.get('auth').actorLabel });

  app.operation(createBillingReportRoute, async (c) => {
    const body = c.req.valid('json');
    const result = await deps.useCases.createReport(actorOf(c), body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    if (result.value.created) deps.onWorkQueued?.();
    return c.json(result.value.report, 200);
  });

  app.operation(listBillingReportsRoute, async (c) => {
    const q = c.req.valid('query');
    // Cisco documents "up to 100 per page" for billing reports.
    const page = toPage(q, { max: 100, limit: 100 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listBillingReports({
      requestedBy: c.get('auth').partner.id,
      ...q,
      sortBy: q.sortBy ?? 'billingStartDate',
      ...page.value,
    });
    const items = respondPage(c, rows, page.value, deps.config.PUBLIC_URL);
    // Each completed report carries its download link, as GET /{id} does: a list needs no request per report.
    const links = await Promise.all(items.map((r) => downloadUrlOf(deps, r)));
    return c.json(
      {
        items: items.map((r, i) => ({ ...r, ...(links[i] ? { tempDownloadURL: links[i] } : {}) })),
      },
      200,
    );
  });

  app.operation(getBillingReportRoute, async (c) => {
    const result = await deps.useCases.getReport(actorOf(c), c.req.param('id'));
    if (!result.ok) return respondProblems(c, result.problems);
    const r = result.value;
    const tempDownloadURL = await downloadUrlOf(deps, r);
    return c.json({ ...r, ...(tempDownloadURL ? { tempDownloadURL } : {}) }, 200);
  });

  app.operation(regenerateBillingReportRoute, async (c) => {
    const result = await deps.useCases.regenerateReport(actorOf(c), c.req.param('id'), useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    deps.onWorkQueued?.();
    return c.json(result.value, 200);
  });

  app.operation(deleteBillingReportRoute, async (c) => {
    const result = await deps.useCases.removeReport(actorOf(c), c.req.param('id'), useCaseDeps(deps));
    return result.ok ? c.body(null, 204) : respondProblems(c, result.problems);
  });
  return app;
}

/** The signed CSV download: no bearer token (the link is the credential), dead once the report is deleted. */
export function createReportDownloadRoutes(deps: AppDeps) {
  const app = createRouter();
  app.operation(downloadBillingReportRoute, async (c) => {
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
    const filename = `${report.type.toLowerCase()}-report-${report.billingStartDate}_${report.billingEndDate}.csv`;
    return asContent('text/csv', 200, csvAttachment(stream, filename));
  });
  return app;
}
