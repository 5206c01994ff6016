import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPartnerBillingStartDate } from '../../src/db/repositories/partners.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import type { ActingPartner } from '../../src/use-cases/partner-views.js';
import pino from 'pino';
import { createMonthChargesJob } from '../../src/jobs/month-charges-job.js';
import { loadDashboard } from '../../src/use-cases/dashboard.js';
import { computePartnerCharges, partnerCharges } from '../../src/use-cases/partner-charges.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * The dashboard's and digests' month charges are kept per customer and refreshed for the customers a
 * change marked (database triggers): after any sequence of changes they equal a fresh computation of the
 * whole month to the minor unit, and a change recomputes only the customers it touched.
 */
describe(`month charges kept per customer on ${testDbKind()}`, () => {
  let h: TestHarness;
  let partner: ActingPartner;
  const customerIds: string[] = [];
  const subscribers: { id: string; customerId: string }[] = [];
  const packages = ['webex_calling', 'webex_meetings', 'webex_suite'];
  const months = ['2026-05', '2026-06'];
  let factSeq = 0;

  const addFacts = (facts: { customerId: string; subscriber: string; slot: string; pkg: string | null; at: Date }[]) =>
    h.db
      .insertInto('package_events')
      .values(
        facts.map((f) => ({
          subscriber_id: f.subscriber,
          workspace_id: null,
          slot: f.slot,
          customer_id: f.customerId,
          partner_id: h.partnerId,
          package: f.pkg,
          effective_at: f.at,
          recorded_at: new Date(h.clock.now().getTime() + (factSeq += 1)),
          cause: 'test',
        })),
      )
      .execute();

  const keptEqualsFresh = async (what: string) => {
    for (const month of months) {
      const kept = await partnerCharges(h.db, partner, month, h.clock.now());
      expect(kept, `${what} (${month})`).toEqual(await computePartnerCharges(h.db, partner, partner.id, month, h.clock.now()));
    }
  };

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    partner = (await loadRootPartner(h.db))!;
    const templateId = await defaultTemplateId(h);
    for (let i = 0; i < 6; i += 1) {
      const c = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: `kept-${i}`,
          customerInfo: { name: `Kept ${i}`, primaryEmail: `k${i}@kept.example` },
          packages,
        }),
      );
      customerIds.push(c.id);
    }
    await h.db
      .updateTable('customers')
      .set({ billing_from: new Date('2026-04-01T00:00:00Z') })
      .where('id', 'in', customerIds)
      .execute();
    for (const [pkg, price, policy] of [
      ['webex_calling', 1500, 'prorated'],
      ['webex_meetings', 900, 'average_rounded_up'],
      ['webex_suite', 2500, 'prorated'],
      ['attendant_console', 700, 'peak'],
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
    for (let s = 0; s < 30; s += 1) {
      const customerId = customerIds[s % customerIds.length]!;
      const id = `kept-sub-${s}`;
      await h.db
        .insertInto('subscribers')
        .values({
          id,
          partner_id: h.partnerId,
          customer_id: customerId,
          email: `s${s}@kept.example`,
          first_name: null,
          last_name: null,
          package: 'webex_calling',
          primary_phone_number: null,
          extension: '1',
          location_id: null,
          is_admin: false,
          person_id: `kept-p-${s}`,
          status: 'provisioned',
          errors: '[]',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      subscribers.push({ id, customerId });
    }
  });
  afterAll(() => h.close());

  it('equals a fresh computation of the whole month after every step of a seeded random sequence of changes', async () => {
    let seed = 28;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const day = (from: number, days: number) => new Date(from + Math.floor(rand() * days * 86_400) * 1000);
    const aprilTwenty = Date.UTC(2026, 3, 20);
    const fact = () => {
      const s = pick(subscribers);
      const addOn = rand() < 0.25;
      const pkg = addOn ? (rand() < 0.3 ? null : 'attendant_console') : rand() < 0.15 ? null : pick(packages);
      return { customerId: s.customerId, subscriber: s.id, slot: addOn ? 'attendant_console' : 'base', pkg, at: day(aprilTwenty, 55) };
    };
    const changes: [string, () => Promise<unknown>][] = [
      ['a ledger fact', () => addFacts([fact()])],
      ['ledger facts of several customers in one statement', () => addFacts([fact(), fact(), fact(), fact()])],
      [
        "a customer's billing_from",
        () =>
          h.db
            .updateTable('customers')
            .set({ billing_from: rand() < 0.2 ? null : day(Date.UTC(2026, 3, 25), 40) })
            .where('id', '=', pick(customerIds))
            .execute(),
      ],
      [
        "a customer's billingStartDate",
        () =>
          h.db
            .updateTable('customers')
            .set({
              billing_start_date:
                rand() < 0.3
                  ? null
                  : day(Date.UTC(2026, 4, 1), 40)
                      .toISOString()
                      .slice(0, 10),
            })
            .where('id', '=', pick(customerIds))
            .execute(),
      ],
      [
        "a customer's name",
        () =>
          h.db
            .updateTable('customers')
            .set({ name: `Renamed ${Math.floor(rand() * 1000)}` })
            .where('id', '=', pick(customerIds))
            .execute(),
      ],
      [
        'a price',
        () =>
          h.db
            .updateTable('price_book')
            .set({ monthly_price_minor: 100 + Math.floor(rand() * 4000) })
            .where('partner_id', '=', partner.id)
            .where('package', '=', pick([...packages, 'attendant_console']))
            .execute(),
      ],
      [
        "the partner's billing start",
        () =>
          setPartnerBillingStartDate(
            h.db,
            partner.id,
            day(Date.UTC(2026, 3, 1), 50)
              .toISOString()
              .slice(0, 10),
          ),
      ],
    ];
    // Each month kept before the changes start, so every step below is a refresh, never a first computation.
    await keptEqualsFresh('before any change');
    const weights = [8, 3, 2, 2, 1, 1, 1];
    const total = weights.reduce((a, w) => a + w, 0);
    for (let step = 0; step < 40; step += 1) {
      let r = rand() * total;
      let i = 0;
      while (r >= weights[i]!) r -= weights[i++]!;
      const [what, change] = changes[i]!;
      await change();
      await keptEqualsFresh(`step ${step}: ${what}`);
    }
  });

  it('recomputes only the customers a change marked, and reflects each kind of change on the next request', async () => {
    const month = '2026-06';
    // Customers were created at the clock's start (mid-June): changes through the API come after it.
    h.clock.advance(10 * 86_400_000);
    const now = h.clock.now();
    const [changed, untouched] = [customerIds[0]!, customerIds[1]!];
    const holderOf = (c: string) => subscribers.find((x) => x.customerId === c)!.id;
    await addFacts(
      [changed, untouched].map((c) => ({
        customerId: c,
        subscriber: holderOf(c),
        slot: 'base',
        pkg: 'webex_meetings',
        at: new Date('2026-06-01T00:00:00Z'),
      })),
    );
    await partnerCharges(h.db, partner, month, now);
    // A customer nothing marked is summed from its kept row, never read again: doctor that row and it stays.
    const doctored = async () => {
      await h.db
        .updateTable('customer_month_charges')
        .set({ amount_minor: 123_456_789 })
        .where('partner_id', '=', partner.id)
        .where('period', '=', month)
        .where('customer_id', '=', untouched)
        .execute();
    };
    await doctored();
    const sub = await addSubscriber(h, changed, 'marked@kept.example', 'webex_calling', { effectiveAt: '2026-06-16T00:00:00Z' });
    const afterAdd = await partnerCharges(h.db, partner, month, now);
    const fresh = await computePartnerCharges(h.db, partner, partner.id, month, now);
    const share = (c: typeof fresh, id: string) => c.customers.find((x) => x.customerId === id)?.amountMinor;
    expect(share(afterAdd, untouched)).toBe(123_456_789);
    expect(share(afterAdd, changed)).toBe(share(fresh, changed));
    // The sums are kept too and corrected by the marked customers' difference only: still exact.
    expect(afterAdd.totalMinor).toBe(fresh.totalMinor);
    expect(afterAdd.packages).toEqual(fresh.packages);

    // Every kind of change through its ordinary path, each then seen by the very next request.
    const kinds: [string, () => Promise<unknown>][] = [
      [
        "a subscriber's package changed through the API",
        async () =>
          expect(
            (
              await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`, {
                packages: ['webex_suite'],
                effectiveAt: '2026-06-18T00:00:00Z',
              })
            ).status,
          ).toBe(200),
      ],
      [
        'a subscriber removed through the API',
        async () =>
          expect(
            (await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}?effectiveAt=2026-06-21T00:00:00Z`)).status,
          ).toBe(204),
      ],
      [
        "the customer's billing start date",
        () => h.db.updateTable('customers').set({ billing_start_date: '2026-06-17' }).where('id', '=', changed).execute(),
      ],
      [
        "the customer's billing_from",
        () =>
          h.db
            .updateTable('customers')
            .set({ billing_from: new Date('2026-06-19T06:00:00Z') })
            .where('id', '=', changed)
            .execute(),
      ],
      ["the customer's name", () => h.db.updateTable('customers').set({ name: 'Zz renamed' }).where('id', '=', changed).execute()],
      [
        'the price book (marks every customer)',
        () =>
          h.db
            .updateTable('price_book')
            .set({ monthly_price_minor: 4321 })
            .where('partner_id', '=', partner.id)
            .where('package', '=', 'webex_suite')
            .execute(),
      ],
      ["the partner's billing start (marks every customer)", () => setPartnerBillingStartDate(h.db, partner.id, '2026-06-20')],
    ];
    for (const [what, change] of kinds) {
      const before = await partnerCharges(h.db, partner, month, now);
      await change();
      await h.worker.drain();
      const after = await partnerCharges(h.db, partner, month, now);
      const expected = await computePartnerCharges(h.db, partner, partner.id, month, now);
      if (what.includes('every customer')) expect(after, what).toEqual(expected);
      else {
        // The doctored row stays until something marks that customer or everything is recomputed.
        expect(
          after.customers.find((c) => c.customerId === changed),
          what,
        ).toEqual(expected.customers.find((c) => c.customerId === changed));
        expect(share(after, untouched), what).toBe(123_456_789);
        expect(after.totalMinor, what).toBe(expected.totalMinor);
        expect(after.packages, what).toEqual(expected.packages);
      }
      expect(after, what).not.toEqual(before);
    }
  });

  it("marks a customer in the transaction that changes it, with that transaction's id", async () => {
    const customerId = customerIds[2]!;
    const marks = () => h.db.selectFrom('customer_charge_marks').select('marked_xid').where('customer_id', '=', customerId).execute();
    const xid = await h.db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ billing_start_date: '2026-05-02' }).where('id', '=', customerId).execute();
      return (await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx)).rows[0]!.xid;
    });
    expect((await marks()).map((m) => String(m.marked_xid))).toEqual([xid]);
    // Rolled back: no mark.
    await h.db.deleteFrom('customer_charge_marks').where('customer_id', '=', customerId).execute();
    await h.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('customers').set({ billing_start_date: '2026-05-03' }).where('id', '=', customerId).execute();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await marks()).toEqual([]);
  });

  const forgetKeptMonths = () => h.db.deleteFrom('partner_month_totals').where('partner_id', '=', partner.id).execute();

  it('computes the whole month in batches: batches of 2 customers give the totals of one batch and of a fresh computation', async () => {
    const counted: number[] = [];
    for (const month of months) {
      await forgetKeptMonths();
      const inTwos = await partnerCharges(h.db, partner, month, h.clock.now(), { batchSize: 2 });
      await forgetKeptMonths();
      const inOne = await partnerCharges(h.db, partner, month, h.clock.now(), { batchSize: 1_000 });
      counted.push(inTwos.customerCount);
      expect(inTwos, month).toEqual(inOne);
      expect(inTwos, month).toEqual(await computePartnerCharges(h.db, partner, partner.id, month, h.clock.now()));
    }
    // More customers than one batch of 2 holds.
    expect(Math.max(...counted)).toBeGreaterThan(2);
  });

  it('answers the dashboard from the kept month, marked as of its day and refreshing, until the job brings it current', async () => {
    const job = createMonthChargesJob({ useCases: h.useCases, logger: pino({ level: 'silent' }), clock: h.clock, instanceId: 'test' });
    // A large partner's dashboard never computes the whole month: `inlineCustomers: 0` makes this one large.
    const dashboard = async () =>
      (await loadDashboard(h.db, partner, h.clock.now(), { screeningRequired: false, inlineCustomers: 0 })).billingThisMonth;
    const month = h.clock.now().toISOString().slice(0, 7);

    await forgetKeptMonths();
    const nothingYet = await dashboard();
    expect(nothingYet).toMatchObject({ month, refreshing: true, asOf: null, customerCount: 0, customers: [], totalMinor: 0 });

    expect((await job.runNow()).map((r) => r.partnerId)).toContain(partner.id);
    const today = await dashboard();
    const fresh = await computePartnerCharges(h.db, partner, partner.id, month, h.clock.now());
    expect(today).toMatchObject({ ...fresh, refreshing: false, asOf: fresh.through });
    expect(fresh.totalMinor).toBeGreaterThan(0);

    // Past midnight (UTC) the window's end moves: the request answers at once from yesterday's figures, and says so.
    h.clock.advance(86_400_000);
    const pending = await dashboard();
    expect(pending).toMatchObject({ refreshing: true, asOf: fresh.through, through: fresh.through, totalMinor: fresh.totalMinor });

    expect((await job.runNow()).map((r) => r.partnerId)).toContain(partner.id);
    const current = await dashboard();
    const freshNow = await computePartnerCharges(h.db, partner, partner.id, month, h.clock.now());
    expect(freshNow.through).not.toBe(fresh.through);
    expect(current).toMatchObject({ ...freshNow, refreshing: false, asOf: freshNow.through });
    // Nothing out of date: the job refreshes nothing.
    expect((await job.runNow()).map((r) => r.partnerId)).not.toContain(partner.id);
  });
});
