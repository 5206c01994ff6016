import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { issueInvoicesForMonth } from '../../src/use-cases/issue-invoices.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Issuing works through the customers in batches (ISSUE_BATCH_SIZE); a month issued in batches of two must
 * be the same month as one issued in a single batch: numbers in external-id order, documents, billed
 * items, the `invoice.issued` events and the run's audit entry.
 */
const NOW = new Date('2026-11-02T00:00:00Z');
// Created in an order different from the numbering order (external id), some without billable usage.
const FIXTURE = [
  { ext: 'acme-07', subs: ['webex_calling', 'webex_meetings'] },
  { ext: 'acme-02', subs: ['webex_calling'] },
  { ext: 'acme-05', subs: [] },
  { ext: 'acme-01', subs: ['webex_meetings', 'webex_meetings', 'webex_calling'] },
  { ext: 'acme-06', subs: ['webex_calling', 'webex_calling'] },
  { ext: 'acme-03', subs: ['webex_meetings'] },
  { ext: 'acme-04', subs: ['webex_calling'] },
];

async function issuedMonth(batchSize: number | undefined, keepDocuments = true) {
  const h = await createTestHarness({ start: '2026-10-01T00:00:00Z' });
  try {
    await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-10-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 3100 },
        { package: 'webex_meetings', monthlyPrice: 1333 },
      ],
    });
    await h.call('POST', '/v1/webhooks', { url: 'https://accounting.example/hooks', eventTypes: ['invoice.issued'] });
    const templateId = await defaultTemplateId(h);
    const idToExt = new Map<string, string>();
    for (const [n, f] of FIXTURE.entries()) {
      const c = await provisionCustomer(
        h,
        customerBody(templateId, { externalId: f.ext, customerInfo: { name: `Acme ${f.ext}`, primaryEmail: `admin${n}@acme.example` } }),
      );
      idToExt.set(c.id as string, f.ext);
      for (const [k, pkg] of f.subs.entries()) await addSubscriber(h, c.id as string, `u${k}@${f.ext}.example`, pkg);
    }
    const partner = (await loadRootPartner(h.db))!;
    const r = await issueInvoicesForMonth(h.db, { partner, label: 'test' }, '2026-10', NOW, { batchSize, keepDocuments });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const anon = (s: string) => [...idToExt].reduce((a, [id, ext]) => a.replaceAll(id, `<${ext}>`), s).replaceAll(partner.id, '<partner>');
    const docs = await sql<{ number: string; document: unknown }>`select number, document from issued_invoices order by seq`.execute(h.db);
    const billed = await sql<Record<string, unknown>>`
      select invoice_number, customer_id, period, kind, package, price_from::text, policy, monthly_price_minor::text, seconds::text, amount_minor::text
      from invoice_billed_items order by invoice_number, kind, package, price_from`.execute(h.db);
    const events = await sql<{ event_id: string; payload: string }>`
      select event_id, payload from webhook_deliveries where event_type = 'invoice.issued' order by id`.execute(h.db);
    const audit = await sql<{ after: unknown }>`select after from audit_log where action = 'invoice.issued'`.execute(h.db);
    return {
      result: { issuedCount: r.value.issuedCount, issued: r.value.issued.length, alreadyIssued: r.value.alreadyIssued },
      state: JSON.parse(
        anon(
          JSON.stringify({
            docs: docs.rows.map((d) => (typeof d.document === 'string' ? JSON.parse(d.document) : d.document)),
            billed: billed.rows,
            events: events.rows,
            audit: audit.rows.map((a) => (typeof a.after === 'string' ? JSON.parse(a.after) : a.after)),
          }),
        ),
      ) as { docs: { number: string; externalId: string; totalMinor: number }[]; billed: unknown[]; events: unknown[]; audit: unknown[] },
    };
  } finally {
    await h.close();
  }
}

describe(`issuing a month in batches on ${testDbKind()}`, () => {
  let single: Awaited<ReturnType<typeof issuedMonth>>;
  let batched: Awaited<ReturnType<typeof issuedMonth>>;
  beforeAll(async () => {
    single = await issuedMonth(undefined);
    batched = await issuedMonth(2, false);
  });

  it('issues the same invoices, numbers, billed items, events and audit in batches of two as in one batch', () => {
    expect(single.state.docs.map((d) => [d.number, d.externalId])).toEqual([
      ['WD-2026-000001', 'acme-01'],
      ['WD-2026-000002', 'acme-02'],
      ['WD-2026-000003', 'acme-03'],
      ['WD-2026-000004', 'acme-04'],
      ['WD-2026-000005', 'acme-06'],
      ['WD-2026-000006', 'acme-07'],
    ]);
    expect(single.state.billed.length).toBeGreaterThan(6);
    expect(single.state.events).toHaveLength(6);
    expect(batched.state).toEqual(single.state);
  });

  it('counts what it issued and keeps no documents when asked not to (the scheduled run)', () => {
    expect(single.result).toEqual({ issuedCount: 6, issued: 6, alreadyIssued: 0 });
    expect(batched.result).toEqual({ issuedCount: 6, issued: 0, alreadyIssued: 0 });
  });
});
