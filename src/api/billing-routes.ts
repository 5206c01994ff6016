import { Hono } from 'hono';
import { attachmentHeader } from './attachment-header.js';
import { explainInvoiceLine } from '../domain/invoice-arithmetic.js';
import { daysInMonth, formatMinor } from '../domain/money.js';
import { toInvoiceCsv } from '../use-cases/invoices.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, readJsonBody, respondPage, toPage } from './read-body.js';
import {
  invoiceQuerySchema,
  type InvoiceResponse,
  invoicesQuerySchema,
  issueInvoicesQuerySchema,
  type IssueInvoicesResponse,
  onBehalfQuerySchema,
  priceBookBodySchema,
} from '../contracts/index.js';
import { toIssuedInvoiceCsv } from '../use-cases/issued-invoice-csv.js';
import { renderInvoicePdf } from '../platform/render-invoice-pdf.js';
import { problem } from '../domain/problems.js';
import { invoiceSeller } from '../config.js';
import { chooseInvoiceFormat } from './invoice-format.js';

/** The SP's own charges: its price book and the invoices it computes for its customers. */
export function createBillingRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/price-book', requireScope('spark-admin:wholesale_billing_reports_read'), async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    return c.json(await deps.useCases.getPriceBook(actor.value));
  });

  app.put('/price-book', requireScope('wholesale-desk:admin'), async (c) => {
    const body = await readJsonBody(c, priceBookBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.putPriceBook(actor.value, body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    return c.json(await deps.useCases.getPriceBook(actor.value));
  });

  app.post('/invoices/issue', requireScope('wholesale-desk:admin'), async (c) => {
    const q = parseQuery(c, issueInvoicesQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.issueInvoicesForMonth(actor.value, q.value.month, deps.clock.now(), {
      numberPrefix: deps.config.INVOICE_NUMBER_PREFIX,
    });
    if (!result.ok) return respondProblems(c, result.problems);
    const { issued, alreadyIssued } = result.value;
    const body: IssueInvoicesResponse = {
      month: q.value.month,
      issued: issued.length,
      alreadyIssued,
      firstNumber: issued[0]?.number ?? null,
      lastNumber: issued.at(-1)?.number ?? null,
    };
    return c.json(body);
  });

  app.get('/invoices/:number', requireScope('spark-admin:wholesale_billing_reports_read'), async (c) => {
    const q = parseQuery(c, onBehalfQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
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
      return c.body(await renderInvoicePdf(inv, invoiceSeller(deps.config)), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': attachmentHeader(`invoice-${inv.number}.pdf`),
      });
    if (format === 'csv')
      return c.body(toIssuedInvoiceCsv(inv), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachmentHeader(`invoice-${inv.number}.csv`),
      });
    return c.json(inv);
  });

  app.get('/invoices', requireScope('spark-admin:wholesale_billing_reports_read'), async (c) => {
    if (c.req.query('customerId') === undefined) {
      const lq = parseQuery(c, invoicesQuerySchema);
      if (!lq.ok) return respondProblems(c, lq.problems);
      const page = toPage(lq.value, { max: 100, limit: 1000 });
      if (!page.ok) return respondProblems(c, page.problems);
      const actor = await toActor(c, deps, 'read');
      if (!actor.ok) return respondProblems(c, actor.problems);
      const listed = await deps.useCases.listIssuedInvoices(actor.value, {
        customer: lq.value.customer,
        month: lq.value.month,
        number: lq.value.number,
        status: lq.value.status,
        offset: page.value.offset,
        max: page.value.max + 1,
      });
      if (!listed.ok) return respondProblems(c, listed.problems);
      return c.json({ items: respondPage(c, listed.value.items, page.value, deps.config.PUBLIC_URL) });
    }
    const q = parseQuery(c, invoiceQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getInvoice(actor.value, q.value.customerId, q.value.month, deps.clock.now());
    if (!result.ok) return respondProblems(c, result.problems);
    if (/\btext\/csv\b/.test(c.req.header('accept') ?? '')) {
      return c.body(toInvoiceCsv(result.value), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': attachmentHeader(`invoice-${result.value.externalId}-${result.value.month}.csv`),
      });
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
    return c.json(body);
  });
  return app;
}
