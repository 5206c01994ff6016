import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_COUNT_BOUND,
  customerBillingNow,
  customerDailySeconds,
  searchConsoleCustomers,
} from '../../src/db/repositories/console-customers.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { peakHolders } from '../../src/db/repositories/peak-holders.js';
import { pricedUsage } from '../../src/db/repositories/price-book.js';
import { dailySecondsByPackage, usageIntervalsSql } from '../../src/db/repositories/usage-intervals.js';
import type { ActingPartner } from '../../src/use-cases/partner-views.js';
import { computePartnerCharges, partnerCharges } from '../../src/use-cases/partner-charges.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * The read paths made for a large SP's size must answer exactly what the whole-partner computation
 * answers: one customer's figures read from its own ledger rows, month totals kept between ledger
 * changes, the console search's bounded count.
 */
describe(`reads at scale on ${testDbKind()}`, () => {
  let h: TestHarness;
  let partner: ActingPartner;
  const customerIds: string[] = [];
  const from = new Date('2026-05-01T00:00:00Z');
  const to = new Date('2026-06-01T00:00:00Z');
  let factSeq = 0;

  const addFact = (customerId: string, holder: { subscriber?: string; workspace?: string }, slot: string, pkg: string | null, at: Date) =>
    h.db
      .insertInto('package_events')
      .values({
        subscriber_id: holder.subscriber ?? null,
        workspace_id: holder.workspace ?? null,
        slot,
        customer_id: customerId,
        partner_id: h.partnerId,
        package: pkg,
        effective_at: at,
        recorded_at: new Date(h.clock.now().getTime() + (factSeq += 1)),
        cause: 'test',
      })
      .execute();

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    partner = (await loadRootPartner(h.db))!;
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const templateId = await defaultTemplateId(h);
    const packages = ['webex_calling', 'webex_meetings', 'webex_suite'];
    for (let i = 0; i < 5; i += 1) {
      const c = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: `scale-${i}`,
          customerInfo: { name: `Scale ${i}`, primaryEmail: `a${i}@scale.example` },
          packages,
        }),
      );
      customerIds.push(c.id);
    }
    // Billing opens at different instants: before the ledger, a billingStartDate, a mid-month approval.
    await h.db
      .updateTable('customers')
      .set({ billing_from: new Date('2026-04-01T00:00:00Z') })
      .where('id', 'in', customerIds)
      .execute();
    await h.db.updateTable('customers').set({ billing_start_date: '2026-05-09' }).where('id', '=', customerIds[1]!).execute();
    await h.db
      .updateTable('customers')
      .set({ billing_from: new Date('2026-05-17T05:00:00Z') })
      .where('id', '=', customerIds[2]!)
      .execute();
    for (const [pkg, price, policy] of [
      ['webex_calling', 1500, 'prorated'],
      ['webex_meetings', 900, 'average_rounded_up'],
      ['webex_suite', 2500, 'prorated'],
      ['attendant_console', 700, 'peak'],
      ['common_area_calling', 800, 'prorated'],
    ] as const) {
      await h.db
        .insertInto('price_book')
        .values({
          partner_id: partner.id,
          effective_from: '2026-01-01',
          package: pkg,
          currency: 'EUR',
          monthly_price_minor: price,
          sku: `SKU-${pkg}`,
          policy,
          created_at: h.clock.now(),
        })
        .execute();
    }
    // Random holders in random customers with random, out-of-order facts: changes, removals, add-ons.
    for (let s = 0; s < 50; s += 1) {
      const customerId = customerIds[Math.floor(rand() * customerIds.length)]!;
      const subscriber = `scale-sub-${s}`;
      await h.db
        .insertInto('subscribers')
        .values({
          id: subscriber,
          partner_id: h.partnerId,
          customer_id: customerId,
          email: `s${s}@scale.example`,
          first_name: null,
          last_name: null,
          package: 'webex_calling',
          primary_phone_number: null,
          extension: '1',
          location_id: null,
          is_admin: false,
          person_id: `scale-p-${s}`,
          status: 'provisioned',
          errors: '[]',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      for (let i = 0, n = 1 + Math.floor(rand() * 5); i < n; i += 1) {
        const at = new Date(Date.UTC(2026, 3, 20) + Math.floor(rand() * 50 * 86_400) * 1000);
        const addOn = rand() < 0.25;
        const pkg = addOn
          ? rand() < 0.3
            ? null
            : 'attendant_console'
          : rand() < 0.15
            ? null
            : packages[Math.floor(rand() * packages.length)]!;
        await addFact(customerId, { subscriber }, addOn ? 'attendant_console' : 'base', pkg, at);
      }
    }
    for (let w = 0; w < 6; w += 1) {
      const customerId = customerIds[w % customerIds.length]!;
      const workspace = `scale-ws-${w}`;
      await h.db
        .insertInto('workspaces')
        .values({
          id: workspace,
          partner_id: h.partnerId,
          customer_id: customerId,
          name: `Room ${w}`,
          package: 'common_area_calling',
          primary_phone_number: null,
          extension: `19${w}`,
          location_id: null,
          status: 'provisioned',
          errors: '[]',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      await addFact(customerId, { workspace }, 'base', 'common_area_calling', new Date(Date.UTC(2026, 3, 25 + w)));
      if (w % 2 === 0) await addFact(customerId, { workspace }, 'base', null, new Date(Date.UTC(2026, 4, 3 + w * 4, 7)));
    }
  });
  afterAll(() => h.close());

  const byKey = <T extends object>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it("gives each customer's priced usage and peak holders as the whole partner's, filtered to that customer", async () => {
    const allUsage = await pricedUsage(h.db, h.partnerId, partner.id, null, from, to);
    const allPeaks = await peakHolders(h.db, h.partnerId, null, from, to);
    expect(new Set(allUsage.map((u) => u.customer_id)).size).toBeGreaterThan(3);
    for (const c of customerIds) {
      expect(byKey(await pricedUsage(h.db, h.partnerId, partner.id, c, from, to))).toEqual(
        byKey(allUsage.filter((u) => u.customer_id === c)),
      );
      expect(byKey(await peakHolders(h.db, h.partnerId, c, from, to))).toEqual(byKey(allPeaks.filter((p) => p.customer_id === c)));
      expect(byKey(await peakHolders(h.db, h.partnerId, c, from, to, ['attendant_console']))).toEqual(
        byKey(allPeaks.filter((p) => p.customer_id === c && p.package === 'attendant_console')),
      );
    }
  });

  it("gives each customer's chart and what bills now as the unscoped intervals filtered to that customer", async () => {
    const now = new Date('2026-05-20T10:00:00Z');
    const daily = await dailySecondsByPackage(h.db, h.partnerId, '2026-05-01', '2026-05-20');
    const summed = new Map<string, number>();
    for (const c of customerIds) {
      for (const d of await customerDailySeconds(h.db, h.partnerId, c, '2026-05-01', new Date('2026-05-20T00:00:00Z'))) {
        if (d.day < '2026-05-20') summed.set(`${d.day}|${d.package}`, (summed.get(`${d.day}|${d.package}`) ?? 0) + d.seconds);
      }
      const until = new Date(now.getTime() + 1);
      const unscoped = await sql<{ subscriber_id: string | null; workspace_id: string | null; package: string; since: Date | string }>`
        select i.subscriber_id, i.workspace_id, i.package, min(i.s) as since
        from (${usageIntervalsSql(h.partnerId, new Date(now.getTime() - 366 * 86_400_000), until)}) i
        where i.customer_id = ${c} and i.e >= ${until}::timestamptz
        group by i.subscriber_id, i.workspace_id, i.package`.execute(h.db);
      expect(byKey((await customerBillingNow(h.db, h.partnerId, c, now)).map((r) => ({ ...r, since: r.since.toISOString() })))).toEqual(
        byKey(unscoped.rows.map((r) => ({ ...r, since: new Date(r.since).toISOString() }))),
      );
    }
    expect(summed.size).toBeGreaterThan(0);
    expect(new Map(daily.map((d) => [`${d.day}|${d.package}`, d.seconds]))).toEqual(summed);
  });

  it('keeps the month totals equal to a fresh computation and recomputes them after the ledger, a billing start or the price book changes', async () => {
    const now = h.clock.now();
    const month = '2026-05';
    const first = await partnerCharges(h.db, partner, month, now);
    expect(first).toEqual(await computePartnerCharges(h.db, partner, partner.id, month, now));
    expect(first.customers.length).toBeGreaterThan(3);
    expect(first.customerCount).toBe(first.customers.length);
    // Each customer's share is its invoice's total, so the kept totals are the invoices' sum.
    for (const c of first.customers) {
      const res = await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(c.customerId)}&month=${month}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { totalMinor: number }).totalMinor).toBe(c.amountMinor);
    }
    const kept = await h.db.selectFrom('partner_month_totals').selectAll().where('partner_id', '=', h.partnerId).execute();
    expect(kept.map((k) => [k.kind, k.period])).toEqual([['charges', month]]);
    expect(await partnerCharges(h.db, partner, month, now)).toEqual(first);

    const changes: [string, () => Promise<unknown>][] = [
      [
        'a ledger fact',
        // A holder belongs to one customer for life: the fact is its own customer's (workspace 1 is customer 1's, held since April).
        () => addFact(customerIds[1]!, { workspace: 'scale-ws-1' }, 'base', null, new Date('2026-05-20T00:00:00Z')),
      ],
      [
        'a billing start date',
        () => h.db.updateTable('customers').set({ billing_start_date: '2026-05-20' }).where('id', '=', customerIds[3]!).execute(),
      ],
      [
        'a price',
        () =>
          h.db
            .updateTable('price_book')
            .set({ monthly_price_minor: 3100 })
            .where('partner_id', '=', partner.id)
            .where('package', '=', 'webex_calling')
            .execute(),
      ],
    ];
    let before = first;
    for (const [what, change] of changes) {
      await change();
      const after = await partnerCharges(h.db, partner, month, now);
      expect(after, what).toEqual(await computePartnerCharges(h.db, partner, partner.id, month, now));
      expect(after.totalMinor, what).not.toBe(before.totalMinor);
      before = after;
    }
  });

  it('counts search matches up to 1,000 and says when there are more, still paging past them', async () => {
    const n = CONSOLE_COUNT_BOUND + 30;
    await sql`
      insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale,
        org_country, address, packages, status, request_fingerprint, created_at, updated_at, status_changed_at)
      select 'bulk-' || g, ${h.partnerId}, 'bulk-ext-' || g, null, false, (select id from onboarding_templates limit 1), 'Bulkhead ' || g,
        null, 'en_US', 'en_US', 'US', '{}'::jsonb, '["webex_calling"]'::jsonb, 'provisioned', '{}', now(), now(), now()
      from generate_series(1, ${n}) g`.execute(h.db);
    const q = { partnerId: h.partnerId, sort: 'name' as const, max: 25 };
    const firstPage = await searchConsoleCustomers(h.db, { ...q, search: 'bulkhead', offset: 0 });
    expect({ total: firstPage.total, exact: firstPage.exact, rows: firstPage.rows.length }).toEqual({
      total: CONSOLE_COUNT_BOUND,
      exact: false,
      rows: 25,
    });
    // Near the end the count reaches the page's end, and then the last match: exact again.
    const nearEnd = await searchConsoleCustomers(h.db, { ...q, search: 'bulkhead', offset: n - 10 });
    expect({ total: nearEnd.total, exact: nearEnd.exact, rows: nearEnd.rows.length }).toEqual({ total: n, exact: true, rows: 10 });
    const few = await searchConsoleCustomers(h.db, { ...q, search: 'bulkhead 10', offset: 0 });
    const named = Array.from({ length: n }, (_, i) => `bulkhead ${i + 1}`).filter((name) => name.includes('bulkhead 10')).length;
    expect({ total: few.total, exact: few.exact }).toEqual({ total: named, exact: true });
    expect(few.rows[0]!.name).toBe('Bulkhead 10');
    const res = await h.call('GET', '/v1/console/customers?search=bulkhead&max=25');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ total: CONSOLE_COUNT_BOUND, totalExact: false, offset: 0 });
    // Every page's rows together are every match once, in order.
    const seen: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await searchConsoleCustomers(h.db, { ...q, max: 100, search: 'BULKHEAD', offset });
      seen.push(...page.rows.map((r) => r.id));
      if (page.rows.length < 100) break;
    }
    expect(new Set(seen).size).toBe(n);
  });
});
