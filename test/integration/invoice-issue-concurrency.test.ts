import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createInvoiceIssueJob } from '../../src/jobs/invoice-issue-job.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import type { Database } from '../../src/db/schema.js';
import type { ActingPartner } from '../../src/use-cases/partner-views.js';
import type { IssuedInvoice } from '../../src/contracts/issued-invoices.js';
import { issueInvoicesForMonth } from '../../src/use-cases/issue-invoices.js';
import { listIssuedInvoices } from '../../src/use-cases/read-issued-invoices.js';
import { runScheduledInvoiceIssue } from '../../src/use-cases/run-scheduled-invoice-issue.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Two instances issue the same month at once. On PostgreSQL they are two connection pools to one
 * database (as two processes would be); PGlite has one connection, so there the two calls interleave on it.
 */
describe(`two instances issuing at once on ${testDbKind()}`, () => {
  let h: TestHarness;
  let other: { db: Kysely<Database>; close(): Promise<void> };
  let partner: ActingPartner;
  const customers: Body[] = [];
  const subs: Body[] = [];

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-10-01T00:00:00Z' });
    other =
      testDbKind() === 'postgres'
        ? await (async () => {
            const handle = await h.testDb.open({ migrate: false });
            return { db: handle.db, close: () => handle.db.destroy() };
          })()
        : { db: h.db, close: async () => {} };
    partner = (await loadRootPartner(h.db))!;
    await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-10-01',
      currency: 'USD',
      items: [{ package: 'webex_calling', monthlyPrice: 3100 }],
    });
    const templateId = await defaultTemplateId(h);
    for (let i = 0; i < 6; i++) {
      const c = await provisionCustomer(
        h,
        customerBody(templateId, { externalId: `twin-${i}`, customerInfo: { name: `Twin ${i}`, primaryEmail: `admin${i}@twin.example` } }),
      );
      customers.push(c);
      subs.push(await addSubscriber(h, c.id, `u${i}@twin.example`, 'webex_calling'));
    }
  });
  afterAll(async () => {
    await other.close();
    await h.close();
  });

  const numbers = async () =>
    (
      (await listIssuedInvoices(h.db, { partner, label: 'test' }, { max: 1000 })) as { ok: true; value: { items: IssuedInvoice[] } }
    ).value.items
      .map((i) => i.number)
      .sort();

  it('issues one invoice per customer with gapless numbers', async () => {
    const now = new Date('2026-11-01T06:00:00Z');
    const [a, b] = await Promise.all([
      issueInvoicesForMonth(h.db, { partner, label: 'instance-a' }, '2026-10', now),
      issueInvoicesForMonth(other.db, { partner, label: 'instance-b' }, '2026-10', now),
    ]);
    if (!a.ok || !b.ok) throw new Error('issuing failed');
    expect(a.value.issued.length + b.value.issued.length).toBe(6);
    expect([a.value.alreadyIssued, b.value.alreadyIssued].sort()).toEqual([0, 6]);
    expect(await numbers()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `WD-2026-00000${n}`));
    const perCustomer = [...a.value.issued, ...b.value.issued].map((i) => i.customerId).sort();
    expect(perCustomer).toEqual(customers.map((c) => c.id).sort());
  });

  it('computes a back-dated change into the closed month once, with both instances issuing the next month at once', async () => {
    h.clock.set('2026-11-10T00:00:00Z');
    const del = await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(subs[0]!.id)}?effectiveAt=2026-10-21T00:00:00Z`);
    expect(del.status, await del.clone().text()).toBe(204);
    await h.worker.drain();
    const now = new Date('2026-12-01T06:00:00Z');
    const [a, b] = await Promise.all([
      issueInvoicesForMonth(h.db, { partner, label: 'instance-a' }, '2026-11', now),
      issueInvoicesForMonth(other.db, { partner, label: 'instance-b' }, '2026-11', now),
    ]);
    if (!a.ok || !b.ok) throw new Error('issuing failed');
    expect(a.value.issued.length + b.value.issued.length).toBe(6);
    expect(await numbers()).toEqual(Array.from({ length: 12 }, (_, i) => `WD-2026-${String(i + 1).padStart(6, '0')}`));
    const adjustments = [...a.value.issued, ...b.value.issued].flatMap((i) => i.adjustments);
    // 11 days of October (the 21st to the 31st) at 31.00 a month: 1.00 a day.
    expect(adjustments).toEqual([
      expect.objectContaining({ period: '2026-10', holderId: subs[0]!.id, amountMinor: -1100, licenceDays: '-11' }),
    ]);
  });

  it('runs the scheduled issue on one instance only', async () => {
    const now = new Date('2027-01-01T06:00:00Z');
    const [a, b] = await Promise.all([
      runScheduledInvoiceIssue(h.db, 'instance-a', now),
      runScheduledInvoiceIssue(other.db, 'instance-b', now),
    ]);
    expect([a, b].filter((x) => x === undefined)).toHaveLength(1);
    expect((a ?? b)!).toEqual([expect.objectContaining({ partnerId: partner.id, issued: 5, alreadyIssued: 0 })]);
    expect(await numbers()).toHaveLength(17);
    expect((await numbers()).at(-1)).toBe('WD-2027-000017');
  });

  it('catches up a missed month at start, from the 2nd of the month on', async () => {
    h.clock.set('2027-02-03T10:00:00Z');
    const job = createInvoiceIssueJob({
      useCases: h.useCases,
      logger: pino({ level: 'silent' }),
      clock: h.clock,
      schedule: '0 6 1 * *',
      instanceId: 'late-starter',
      numberPrefix: 'WD',
    });
    job.start();
    await job.stop();
    const january = (
      (await listIssuedInvoices(h.db, { partner, label: 'test' }, { month: '2027-01' })) as { ok: true; value: { items: IssuedInvoice[] } }
    ).value.items;
    expect(january).toHaveLength(5);
  });
});
