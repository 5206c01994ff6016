import type { Context } from 'hono';
import { formatMinor } from '../domain/money.js';
import { problem, type Result } from '../domain/problems.js';
import { parseTolerance, type ReconciliationClass } from '../domain/reconciliation.js';
import {
  formatSignedUnits,
  MAX_RECONCILIATION_BYTES,
  type ReconciliationItem,
  type ReconciliationLineView,
  type ReconciliationSummary,
} from '../use-cases/reconciliations.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { csvAttachment } from './attachment-header.js';
import { authenticate } from './auth.js';
import { readBodyStream } from './compliance-routes.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { asContent, contract, createRouter } from './openapi.js';
import {
  createReconciliationQuerySchema,
  listOf as list,
  listReconciliationsQuerySchema,
  reconciliationItemSchema,
  reconciliationLineSchema,
  reconciliationLinesQuerySchema,
  reconciliationSummarySchema,
} from '../contracts/index.js';

const toLine = (type: ReconciliationItem['type'], l: ReconciliationLineView) => ({
  class: l.class,
  package: l.package,
  subscriberOrWorkspaceId: type === 'USER' ? l.entityId : null,
  customerOrgId: type === 'CUSTOMER' ? l.entityId : null,
  locationId: type === 'CUSTOMER' ? l.locationId : null,
  customerId: l.customerId,
  customer: l.customerRef,
  ciscoQuantity: l.ciscoUnits === null ? null : formatSignedUnits(l.ciscoUnits),
  deskQuantity: l.deskUnits === null ? null : formatSignedUnits(l.deskUnits),
  difference: formatSignedUnits(l.diffUnits),
  amount: l.moneyMinor === null ? null : formatMinor(l.moneyMinor),
});

/**
 * Cisco's billing report beside the desk's ledger. Mounted ahead of the 256 KiB JSON body limit:
 * the upload is a CSV of up to RECONCILIATION_MAX_BYTES (4 GiB), streamed (never held whole), so it checks its own size.
 */
const createReconciliationRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createReconciliation',
  tag: 'Reconciliation',
  summary:
    "Reconcile Cisco's billing report against the desk's ledger for the period: the text/csv body, or (source=webex, or no body) fetched from Webex Wholesale in upstream mode",
  scope: 'spark-admin:wholesale_billing_reports_write',
  query: createReconciliationQuerySchema,
  bodyContent: {
    type: 'text/csv',
    description:
      "Cisco's PARTNER, CUSTOMER or USER billing report, as downloaded (columns by name, any order; at most RECONCILIATION_MAX_BYTES, 4 GiB by default, streamed). Without it (and with source=webex), the desk creates the report in Webex, waits until it is COMPLETED and downloads it",
    optional: true,
  },
  // Webex refusing the desk's credentials, the report or its download (upstream_*).
  errors: [502],
  status: 201,
  response: reconciliationSummarySchema,
});

const listReconciliationsRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listReconciliations',
  tag: 'Reconciliation',
  summary: 'Reconciliations, newest first',
  scope: 'spark-admin:wholesale_billing_reports_read',
  query: listReconciliationsQuerySchema,
  status: 200,
  response: list(reconciliationItemSchema),
});

const getReconciliationRoute = contract({
  method: 'get',
  path: '/{id}',
  operationId: 'getReconciliation',
  tag: 'Reconciliation',
  summary: 'A reconciliation: counts per class, money at stake, per package and per customer',
  scope: 'spark-admin:wholesale_billing_reports_read',
  status: 200,
  response: reconciliationSummarySchema,
});

const listReconciliationLinesRoute = contract({
  method: 'get',
  path: '/{id}/lines',
  operationId: 'listReconciliationLines',
  tag: 'Reconciliation',
  summary: "A reconciliation's lines, paged, optionally of some classes",
  scope: 'spark-admin:wholesale_billing_reports_read',
  query: reconciliationLinesQuerySchema,
  status: 200,
  response: list(reconciliationLineSchema),
});

const downloadReconciliationDifferencesRoute = contract({
  method: 'get',
  path: '/{id}/differences',
  operationId: 'downloadReconciliationDifferences',
  tag: 'Reconciliation',
  summary: "A reconciliation's differences as CSV",
  scope: 'spark-admin:wholesale_billing_reports_read',
  status: 200,
  responseContent: { type: 'text/csv', description: 'Every line that is not a match (Content-Disposition: attachment)' },
});

export function createReconciliationRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  const actorOf = (c: Context<AppEnv>) => ({ partner: c.get('auth').partner, label: c.get('auth').actorLabel });

  app.operation(createReconciliationRoute, async (c) => {
    const type = c.req.header('content-type');
    const q = c.req.valid('query');
    const tolerance = parseTolerance(q.tolerance);
    if (!tolerance.ok) return respondProblems(c, tolerance.problems);
    // No body (no Content-Type) reads as "fetch it": the same as source=webex.
    if (q.source === 'webex' || (q.source === undefined && type === undefined)) {
      const fetched = await deps.useCases.reconcileFromWebex(
        actorOf(c),
        {
          billingStartDate: q.billingStartDate,
          billingEndDate: q.billingEndDate,
          type: q.type,
          toleranceUnits: tolerance.value,
          source: 'webex',
        },
        { ...useCaseDeps(deps), upstream: deps.upstream },
      );
      return respondCreated(c, fetched);
    }
    if (!/^(text\/csv|application\/octet-stream)\b/i.test(type ?? ''))
      return respondProblems(c, [
        problem('unsupported_media_type', 'send Cisco\'s billing report as the body with "Content-Type: text/csv"'),
      ]);
    const length = c.req.header('content-length');
    const maxBytes = deps.config.RECONCILIATION_MAX_BYTES ?? MAX_RECONCILIATION_BYTES;
    if (length !== undefined && /^\d+$/.test(length) && Number(length) > maxBytes)
      return respondProblems(c, [problem('body_too_large', `the file is larger than ${maxBytes} bytes (RECONCILIATION_MAX_BYTES)`)]);
    const result = await deps.useCases.reconcileBillingReport(
      actorOf(c),
      {
        billingStartDate: q.billingStartDate,
        billingEndDate: q.billingEndDate,
        toleranceUnits: tolerance.value,
        source: 'upload',
        upload: readBodyStream(c.req.raw.body),
        maxBytes,
      },
      useCaseDeps(deps),
    );
    return respondCreated(c, result);
  });

  /** 201 with the new reconciliation's summary and Location, or the problems. */
  async function respondCreated(c: Context<AppEnv>, result: Result<ReconciliationItem>) {
    if (!result.ok) {
      // Webex still making the report, or not answering: worth asking again, not at once.
      if (result.problems.some((p) => p.code === 'upstream_report_pending' || p.code === 'upstream_unavailable'))
        c.header('Retry-After', '30');
      return respondProblems(c, result.problems);
    }
    const summary = await deps.useCases.getReconciliationSummary(actorOf(c), result.value.id, deps.clock.now());
    if (!summary.ok) return respondProblems(c, summary.problems);
    c.header('Location', `${deps.config.PUBLIC_URL}/v1/billing/reconciliations/${result.value.id}`);
    return c.json(toSummaryBody(summary.value), 201);
  }

  app.operation(listReconciliationsRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const items = await deps.useCases.listPartnerReconciliations(actorOf(c), page.value);
    return c.json({ items: respondPage(c, items, page.value, deps.config.PUBLIC_URL) }, 200);
  });

  app.operation(getReconciliationRoute, async (c) => {
    const summary = await deps.useCases.getReconciliationSummary(actorOf(c), c.req.param('id'), deps.clock.now());
    return summary.ok ? c.json(toSummaryBody(summary.value), 200) : respondProblems(c, summary.problems);
  });

  app.operation(listReconciliationLinesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const classes = q.class ? (q.class.split(',') as ReconciliationClass[]) : undefined;
    const r = await deps.useCases.findPartnerReconciliation(actorOf(c), c.req.param('id'));
    if (!r.ok) return respondProblems(c, r.problems);
    const lines = await deps.useCases.getReconciliationLines(actorOf(c), r.value.id, classes, page.value);
    if (!lines.ok) return respondProblems(c, lines.problems);
    return c.json({ items: respondPage(c, lines.value, page.value, deps.config.PUBLIC_URL).map((l) => toLine(r.value.type, l)) }, 200);
  });

  app.operation(downloadReconciliationDifferencesRoute, async (c) => {
    const r = await deps.useCases.findPartnerReconciliation(actorOf(c), c.req.param('id'));
    if (!r.ok) return respondProblems(c, r.problems);
    const rows = deps.useCases.differencesCsv(actorOf(c), r.value);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    return asContent(
      'text/csv',
      200,
      csvAttachment(stream, `reconciliation-${r.value.billingStartDate}_${r.value.billingEndDate}-differences.csv`),
    );
  });
  return app;
}

function toSummaryBody(s: ReconciliationSummary) {
  return {
    ...s.reconciliation,
    classes: s.classes,
    moneyAtStake: formatMinor(s.moneyAtStakeMinor),
    unpricedDifferences: s.unpricedDifferences,
    packages: s.packages,
    customers: s.customers,
    ledger: s.ledger,
    laterAdjustments: { issued: s.laterAdjustments.issued, pending: s.laterAdjustments.pending },
  };
}
