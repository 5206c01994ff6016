import { attachmentHeader } from './attachment-header.js';
import { explainInvoiceLine } from '../domain/invoice-arithmetic.js';
import { daysInMonth, formatMinor } from '../domain/money.js';
import { toInvoiceCsv } from '../use-cases/invoices.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, respondPage, toPage } from './read-body.js';
import type { InvoiceResponse, IssueInvoicesResponse } from '../contracts/index.js';
import { toIssuedInvoiceCsv } from '../use-cases/issued-invoice-csv.js';
import { renderInvoicePdf } from '../platform/render-invoice-pdf.js';
import { problem } from '../domain/problems.js';
import { invoiceSeller } from '../config.js';
import { chooseInvoiceFormat } from './invoice-format.js';
import { asContent, contract, createRouter } from './openapi.js';
import {
  invoiceQuerySchema,
  invoicesQuerySchema,
  invoicesResponseSchema,
  issueInvoicesQuerySchema,
  issueInvoicesResponseSchema,
  issuedInvoiceSchema,
  onBehalfQuerySchema as onBehalf,
  priceBookBodySchema,
  priceBookResponseSchema,
} from '../contracts/index.js';

/** The SP's own charges: its price book and the invoices it computes for its customers. */
const listPriceBookVersionsRoute = contract({
  method: 'get',
  path: '/price-book',
  operationId: 'listPriceBookVersions',
  tag: 'Invoices and price book',
  summary: "The SP's price book versions",
  scope: 'spark-admin:wholesale_billing_reports_read',
  query: onBehalf,
  status: 200,
  response: priceBookResponseSchema,
});

const putPriceBookVersionRoute = contract({
  method: 'put',
  path: '/price-book',
  operationId: 'putPriceBookVersion',
  tag: 'Invoices and price book',
  summary: 'Store a price book version (complete list from effectiveFrom on)',
  scope: 'wholesale-desk:admin',
  body: priceBookBodySchema,
  query: onBehalf,
  // Another currency than the price book's (price_book_currency_mismatch).
  errors: [409],
  status: 200,
  response: priceBookResponseSchema,
});

const issueInvoicesRoute = contract({
  method: 'post',
  path: '/invoices/issue',
  operationId: 'issueInvoices',
  tag: 'Invoices and price book',
  summary:
    'Issue an ended month: one numbered invoice per customer with usage or adjustments owed and none yet for the month (idempotent: a second call issues only what is missing)',
  scope: 'wholesale-desk:admin',
  query: issueInvoicesQuerySchema,
  response: issueInvoicesResponseSchema,
  // A month that has not ended (invoice_month_open).
  errors: [409],
  status: 200,
});

const getIssuedInvoiceRoute = contract({
  method: 'get',
  path: '/invoices/{number}',
  operationId: 'getIssuedInvoice',
  tag: 'Invoices and price book',
  summary:
    'One issued invoice by its number, as issued (it never changes): JSON, or with Accept: application/pdf the PDF, text/csv the CSV (Content-Disposition: attachment, named after the number)',
  scope: 'spark-admin:wholesale_billing_reports_read',
  query: onBehalf,
  response: issuedInvoiceSchema,
  alsoContent: [
    { type: 'application/pdf', description: 'The invoice as a PDF document (A4)' },
    { type: 'text/csv', description: 'The invoice as CSV: line, adjustment, subtotal, adjustments and total records' },
  ],
  status: 200,
});

const getInvoiceRoute = contract({
  method: 'get',
  path: '/invoices',
  operationId: 'getInvoice',
  tag: 'Invoices and price book',
  summary:
    "Issued invoices, newest first (filters customer, month, number, status; paged {items}); with customerId and month instead, that customer's invoice for the month as computed (issued figures once issued; JSON, or CSV with Accept: text/csv)",
  scope: 'spark-admin:wholesale_billing_reports_read',
  query: invoicesQuerySchema,
  response: invoicesResponseSchema,
  // A computed invoice is also served as CSV; any other Accept gets the JSON.
  alsoContent: [{ type: 'text/csv', description: "With customerId and month: the customer's invoice for the month as CSV" }],
  acceptFallsBackToJson: true,
  status: 200,
});

export function createBillingRoutes(deps: AppDeps) {
  const app = createRouter();

  app.operation(listPriceBookVersionsRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    return c.json(await deps.useCases.getPriceBook(actor.value), 200);
  });

  app.operation(putPriceBookVersionRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.putPriceBook(actor.value, body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    return c.json(await deps.useCases.getPriceBook(actor.value), 200);
  });

  app.operation(issueInvoicesRoute, async (c) => {
    const q = c.req.valid('query');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.issueInvoicesForMonth(actor.value, q.month, deps.clock.now(), {
      numberPrefix: deps.config.INVOICE_NUMBER_PREFIX,
    });
    if (!result.ok) return respondProblems(c, result.problems);
    const { issued, alreadyIssued } = result.value;
    const body: IssueInvoicesResponse = {
      month: q.month,
      issued: issued.length,
      alreadyIssued,
      firstNumber: issued[0]?.number ?? null,
      lastNumber: issued.at(-1)?.number ?? null,
    };
    return c.json(body, 200);
  });

  app.operation(getIssuedInvoiceRoute, async (c) => {
    const _q = c.req.valid('query');
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const format = chooseInvoiceFormat(c.req.header('accept'));
    if (!format)
      return respondProblems(c, [
        problem(
          'invoice_format_not_acceptable',
          'an invoice is served as application/json, application/pdf or text/csv: ask for one of them in Accept',
          'Accept',
        ),
      ]);
    const result = await deps.useCases.getIssuedInvoice(actor.value, c.req.param('number'));
    if (!result.ok) return respondProblems(c, result.problems);
    const inv = result.value;
    c.header('Vary', 'Accept');
    if (format === 'pdf')
      return asContent(
        'application/pdf',
        200,
        c.body(await renderInvoicePdf(inv, invoiceSeller(deps.config)), 200, {
          'Content-Type': 'application/pdf',
          'Content-Disposition': attachmentHeader(`invoice-${inv.number}.pdf`),
        }),
      );
    if (format === 'csv')
      return asContent(
        'text/csv',
        200,
        c.body(toIssuedInvoiceCsv(inv), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': attachmentHeader(`invoice-${inv.number}.csv`),
        }),
      );
    return c.json(inv, 200);
  });

  app.operation(getInvoiceRoute, async (c) => {
    if (c.req.query('customerId') === undefined) {
      const lq = c.req.valid('query');
      const page = toPage(lq, { max: 100, limit: 1000 });
      if (!page.ok) return respondProblems(c, page.problems);
      const actor = await toActor(c, deps, 'read');
      if (!actor.ok) return respondProblems(c, actor.problems);
      const listed = await deps.useCases.listIssuedInvoices(actor.value, {
        customer: lq.customer,
        month: lq.month,
        number: lq.number,
        status: lq.status,
        offset: page.value.offset,
        max: page.value.max + 1,
      });
      if (!listed.ok) return respondProblems(c, listed.problems);
      return c.json({ items: respondPage(c, listed.value.items, page.value, deps.config.PUBLIC_URL) }, 200);
    }
    // A computed invoice takes its own, stricter query: customerId and month required, no list filter.
    const q = parseQuery(c, invoiceQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getInvoice(actor.value, q.value.customerId, q.value.month, deps.clock.now());
    if (!result.ok) return respondProblems(c, result.problems);
    if (/\btext\/csv\b/.test(c.req.header('accept') ?? '')) {
      return asContent(
        'text/csv',
        200,
        c.body(toInvoiceCsv(result.value), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': attachmentHeader(`invoice-${result.value.externalId}-${result.value.month}.csv`),
        }),
      );
    }
    const inv = result.value;
    const body: InvoiceResponse = {
      ...inv,
      lines: inv.lines.map((l) => ({
        ...l,
        monthlyPrice: formatMinor(l.monthlyPriceMinor),
        amount: formatMinor(l.amountMinor),
        arithmetic: explainInvoiceLine(l, daysInMonth(inv.month), inv.currency),
      })),
      total: formatMinor(inv.totalMinor),
    };
    return c.json(body, 200);
  });
  return app;
}
