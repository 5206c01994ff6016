import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedInvoice } from '../../src/contracts/issued-invoices.js';
import { findRootPartner } from '../../src/db/repositories/partners.js';
import { peakHolders } from '../../src/db/repositories/peak-holders.js';
import { pricedUsage } from '../../src/db/repositories/price-book.js';
import { daysInMonth } from '../../src/domain/money.js';
import { priceCustomerUsage } from '../../src/use-cases/invoice-lines.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Random ledgers with back-dated changes entered after their month was issued. For every customer, over
 * the months: Σ issued lines + Σ adjustments (on any later invoice) naming those months = a fresh
 * computation of the final ledger, to the minor unit; and no issued invoice ever changes.
 *
 * Each run lives in its own year on one database (issuing is per partner, and later years do not
 * reach back into earlier ones); calling is prorated with a price change on 1 March, meetings bills
 * the peak, then the average rounded up (whole-licence rules, so customer-level adjustments happen too).
 */
const MONTHS = ['01', '02', '03', '04', '05'];
const PACKAGES = ['webex_calling', 'webex_meetings'] as const;
const DAY = 86_400_000;

const ledgerArb = fc.record({
  subs: fc.array(fc.record({ customer: fc.nat(1), pkg: fc.constantFrom(...PACKAGES), day: fc.integer({ min: 0, max: 20 }) }), {
    minLength: 1,
    maxLength: 5,
  }),
  events: fc.array(
    fc.record({
      day: fc.integer({ min: 21, max: 135 }),
      hour: fc.integer({ min: 0, max: 23 }),
      sub: fc.nat(4),
      kind: fc.constantFrom('change', 'remove', 'change'),
      backdateDays: fc.integer({ min: 0, max: 45 }),
      backdateHours: fc.integer({ min: 0, max: 23 }),
    }),
    { maxLength: 8 },
  ),
});

describe(`issued invoices and adjustments over random ledgers on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let year = 2027;

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-12-01T00:00:00Z' });
    templateId = await defaultTemplateId(h);
    for (const [from, calling, meetings] of [
      ['2026-12-01', 1000, 'peak'],
      ['2027-03-01', 1100, 'average_rounded_up'],
    ] as const) {
      const res = await h.call('PUT', '/v1/billing/price-book', {
        effectiveFrom: from,
        currency: 'USD',
        items: [
          { package: 'webex_calling', monthlyPrice: calling },
          { package: 'webex_meetings', monthlyPrice: 700, policy: meetings },
        ],
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
  }, 120_000);
  afterAll(() => h.close());

  const allInvoices = async (): Promise<IssuedInvoice[]> => (await (await h.call('GET', '/v1/billing/invoices?max=1000')).json()).items;
  const issue = async (month: string) => {
    const res = await h.call('POST', `/v1/billing/invoices/issue?month=${month}`);
    expect(res.status, await res.clone().text()).toBe(200);
  };

  it('bills every change exactly once and never rewrites an issued invoice', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (ledger) => {
        const y = year++;
        const at = (day: number, hour = 0) => new Date(Date.parse(`${y}-01-01T00:00:00Z`) + day * DAY + hour * 3_600_000);
        h.clock.set(at(0));
        const customers: Body[] = [];
        for (const n of [0, 1])
          customers.push(
            await provisionCustomer(
              h,
              customerBody(templateId, {
                externalId: `p${y}-${n}`,
                customerInfo: { name: `Prop ${y} ${n}`, primaryEmail: `a${n}@p${y}.example` },
              }),
            ),
          );
        // The first subscriber is the customer's full admin (never downgraded): it stays, outside the random events.
        for (const [n, c] of customers.entries()) await addSubscriber(h, c.id, `admin${n}@p${y}.example`, 'webex_meetings');
        const issuedMonths: string[] = [];
        let nextIssue = 1; // index into MONTHS of the next month to end
        const issueDue = async (until: Date) => {
          while (nextIssue <= MONTHS.length) {
            const end = new Date(`${nextIssue === MONTHS.length ? y : y}-${String(nextIssue + 1).padStart(2, '0')}-01T06:00:00Z`);
            if (end > until) return;
            h.clock.set(end);
            const month = `${y}-${MONTHS[nextIssue - 1]}`;
            await issue(month);
            issuedMonths.push(month);
            nextIssue++;
          }
        };
        const subs: { body: Body; created: Date; removed: boolean; pkg: string }[] = [];
        for (const s of [...ledger.subs].sort((a, b) => a.day - b.day)) {
          h.clock.set(at(s.day, 9));
          const body = await addSubscriber(h, customers[s.customer]!.id, `s${subs.length}@p${y}.example`, s.pkg);
          subs.push({ body, created: at(s.day, 9), removed: false, pkg: s.pkg });
        }
        const snapshots = new Map<string, string>();
        const snapshot = async () => {
          for (const inv of await allInvoices()) {
            const seen = snapshots.get(inv.number);
            if (seen) expect(JSON.stringify(inv)).toBe(seen);
            else snapshots.set(inv.number, JSON.stringify(inv));
          }
        };
        for (const e of [...ledger.events].sort((a, b) => a.day - b.day || a.hour - b.hour)) {
          const now = at(e.day, e.hour);
          await issueDue(now);
          await snapshot();
          h.clock.set(now);
          const sub = subs[e.sub % subs.length]!;
          if (sub.removed) continue;
          const wanted = new Date(now.getTime() - e.backdateDays * DAY - e.backdateHours * 3_600_000);
          const effectiveAt = new Date(Math.max(wanted.getTime(), sub.created.getTime() + 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
          const path = `/v1/wholesale/subscribers/${encodeURIComponent(sub.body.id)}`;
          if (e.kind === 'remove') {
            const res = await h.call('DELETE', `${path}?effectiveAt=${effectiveAt}`);
            expect(res.status, await res.clone().text()).toBe(204);
            sub.removed = true;
          } else {
            const pkg = sub.pkg === 'webex_calling' ? 'webex_meetings' : 'webex_calling';
            const res = await h.call('PUT', path, { packages: [pkg], effectiveAt });
            expect(res.status, await res.clone().text()).toBe(200);
            sub.pkg = pkg;
          }
          await h.worker.drain();
        }
        await issueDue(new Date(`${y}-07-01T00:00:00Z`));
        await snapshot();
        expect(issuedMonths).toEqual(MONTHS.map((m) => `${y}-${m}`));

        const root = (await findRootPartner(h.db))!;
        const invoices = await allInvoices();
        for (const c of customers) {
          let fresh = 0;
          for (const month of issuedMonths) {
            const from = new Date(`${month}-01T00:00:00Z`);
            const to = new Date(from.getTime() + daysInMonth(month) * DAY);
            const usage = await pricedUsage(h.db, root.id, root.id, c.id, from, to);
            const peaks = await peakHolders(h.db, root.id, c.id, from, to);
            const { lines } = priceCustomerUsage(usage, new Map(peaks.map((p) => [p.package, p.peak])), daysInMonth(month));
            fresh += lines.reduce((a, l) => a + l.amountMinor, 0);
          }
          const mine = invoices.filter((i) => i.customerId === c.id);
          const billed =
            mine.filter((i) => issuedMonths.includes(i.month)).reduce((a, i) => a + i.subtotalMinor, 0) +
            mine.flatMap((i) => i.adjustments).reduce((a, x) => a + (issuedMonths.includes(x.period) ? x.amountMinor : 0), 0);
          expect(billed, `customer ${c.externalId}`).toBe(fresh);
          for (const i of mine) {
            expect(i.totalMinor).toBe(i.subtotalMinor + i.adjustmentsMinor);
            expect(i.subtotalMinor).toBe(i.lines.reduce((a, l) => a + l.amountMinor, 0));
            expect(i.adjustmentsMinor).toBe(i.adjustments.reduce((a, l) => a + l.amountMinor, 0));
          }
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 6), endOnFailure: true },
    );
  }, 600_000);
});
