import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReconciliationCsv } from '../../src/db/repositories/billing-reports.js';
import { REPORT_COLUMNS, reportFormat } from '../../src/domain/billing-reports.js';
import { toCsvLine } from '../../src/domain/csv.js';
import { parseCsv, toUnits } from '../support/csv.js';
import { deriveIntervals, type PackageFact } from '../../src/domain/ledger.js';
import { secondsPerDay, secondsToUnits } from '../../src/domain/proration.js';
import { billingOpensAt, type BillingOpens } from '../../src/domain/billing-window.js';
import { insertPartner } from '../../src/db/repositories/partners.js';
import { addDays, startOfDay } from '../../src/domain/calendar.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';

/** Random ledgers: the SQL that writes reports must agree with the domain's proration, to the unit. */
describe(`report SQL agrees with the domain rules on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
  });
  afterAll(() => h.close());

  it('for 60 subscribers with add-ons and 12 workspaces, random out-of-order facts, compliance holds and a sub-partner start date', async () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const templateId = await defaultTemplateId(h);
    const packages = ['webex_calling', 'webex_meetings', 'webex_suite'];
    // Each add-on is a stream of its own beside the base package; a base removal ends them all.
    const addOns = ['attendant_console', 'cisco_calling_plan'];
    const billed = [...packages, ...addOns, 'common_area_calling'];
    const subPartnerId = 'random-sub-partner';
    await insertPartner(h.db, {
      id: subPartnerId,
      orgId: 'random-sub-partner-org',
      name: 'Sub',
      parentId: h.partnerId,
      billingStartDate: '2026-05-20',
      createdAt: h.clock.now(),
    });
    // Where billing opens for each customer: a deferred billingStartDate; approved after a compliance
    // hold mid-May; never provisioned (rejected); a sub-partner's customer, that partner starting on the 20th.
    const tenants: (BillingOpens & { partnerId: string; customerId?: string })[] = [
      {
        partnerId: h.partnerId,
        billingFrom: new Date('2026-04-01T00:00:00Z'),
        billingStartDate: '2026-05-07',
        partnerBillingStartDate: null,
      },
      { partnerId: h.partnerId, billingFrom: new Date('2026-05-12T13:14:15Z'), billingStartDate: null, partnerBillingStartDate: null },
      { partnerId: h.partnerId, billingFrom: null, billingStartDate: null, partnerBillingStartDate: null },
      {
        partnerId: subPartnerId,
        billingFrom: new Date('2026-05-03T08:00:01Z'),
        billingStartDate: null,
        partnerBillingStartDate: '2026-05-20',
      },
    ];
    for (const [i, t] of tenants.entries()) {
      const customer = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: `random-${i}`,
          customerInfo: { name: `Random ${i}`, primaryEmail: `admin${i}@random.example` },
          packages,
        }),
      );
      await h.db
        .updateTable('customers')
        .set({ billing_start_date: t.billingStartDate, billing_from: t.billingFrom, partner_id: t.partnerId })
        .where('id', '=', customer.id)
        .execute();
      t.customerId = customer.id;
    }
    const expected = new Map<string, number>();
    const period = { from: '2026-05-01', to: '2026-05-31' };
    let seq = 0;
    for (let s = 0; s < 60; s += 1) {
      const subId = `random-sub-${s}`;
      const tenant = tenants[s % tenants.length]!;
      const customer = { id: tenant.customerId! };
      await h.db
        .insertInto('subscribers')
        .values({
          id: subId,
          partner_id: tenant.partnerId,
          customer_id: customer.id,
          email: `r${s}@random.example`,
          first_name: null,
          last_name: null,
          package: 'webex_calling',
          primary_phone_number: null,
          extension: '1',
          location_id: null,
          is_admin: false,
          person_id: `p-${s}`,
          status: 'provisioned',
          errors: '[]',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      const facts: PackageFact[] = [];
      const n = 1 + Math.floor(rand() * 7);
      for (let i = 0; i < n; i += 1) {
        // Whole seconds between mid-April and mid-June, in random order, sometimes a removal (base)
        // or a dropped add-on (add-on slot, null).
        const at = new Date(Date.UTC(2026, 3, 15) + Math.floor(rand() * 60 * 86_400) * 1000);
        const slot = rand() < 0.6 ? 'base' : addOns[Math.floor(rand() * addOns.length)]!;
        const pkg = slot === 'base' ? (rand() < 0.15 ? null : packages[Math.floor(rand() * packages.length)]!) : rand() < 0.3 ? null : slot;
        seq += 1;
        facts.push({ package: pkg, at, seq, slot });
        await h.db
          .insertInto('package_events')
          .values({
            subscriber_id: subId,
            slot,
            customer_id: customer.id,
            partner_id: tenant.partnerId,
            package: pkg,
            effective_at: at,
            recorded_at: h.clock.now(),
            cause: 'test',
          })
          .execute();
      }
      const intervals = deriveIntervals(facts);
      const opens = billingOpensAt(tenant);
      if (opens === null) continue;
      for (const pkg of billed) {
        const days = secondsPerDay(
          intervals.filter((i) => i.package === pkg),
          period,
          opens,
        );
        const seconds = [...days.values()].reduce((a, b) => a + b, 0);
        if (seconds > 0) expected.set(`${subId}|${pkg}`, secondsToUnits(seconds));
      }
    }
    for (let w = 0; w < 12; w += 1) {
      const wsId = `random-ws-${w}`;
      const tenant = tenants[w % tenants.length]!;
      await h.db
        .insertInto('workspaces')
        .values({
          id: wsId,
          partner_id: tenant.partnerId,
          customer_id: tenant.customerId!,
          name: `Room ${w}`,
          package: 'common_area_calling',
          primary_phone_number: null,
          extension: '1',
          location_id: null,
          status: 'provisioned',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      const facts: PackageFact[] = [];
      for (let i = 1 + Math.floor(rand() * 3); i > 0; i -= 1) {
        const at = new Date(Date.UTC(2026, 3, 15) + Math.floor(rand() * 60 * 86_400) * 1000);
        const pkg = rand() < 0.3 ? null : 'common_area_calling';
        seq += 1;
        facts.push({ package: pkg, at, seq });
        await h.db
          .insertInto('package_events')
          .values({
            subscriber_id: null,
            workspace_id: wsId,
            customer_id: tenant.customerId!,
            partner_id: tenant.partnerId,
            package: pkg,
            effective_at: at,
            recorded_at: h.clock.now(),
            cause: 'test',
          })
          .execute();
      }
      const opens = billingOpensAt(tenant);
      if (opens === null) continue;
      const days = secondsPerDay(deriveIntervals(facts), period, opens);
      const seconds = [...days.values()].reduce((a, b) => a + b, 0);
      if (seconds > 0) expected.set(`${wsId}|common_area_calling`, secondsToUnits(seconds));
    }
    const rows: Record<string, string | undefined>[] = [];
    for (const partnerId of [h.partnerId, subPartnerId]) {
      const id = `cross-check-${partnerId}`;
      const report = await h.db
        .insertInto('billing_reports')
        .values({
          id,
          partner_id: partnerId,
          requested_by_partner_id: h.partnerId,
          sub_partner_org_id: null,
          type: 'USER',
          category: 'RECONCILIATION',
          billing_start_date: period.from,
          billing_end_date: period.to,
          status: 'IN_PROGRESS',
          errors: '[]',
          row_count: null,
          created_by: 'test',
          created_at: h.clock.now(),
          completed_at: null,
          columns: JSON.stringify(REPORT_COLUMNS.USER),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeReconciliationCsv(
        h.db,
        report,
        startOfDay(period.from),
        startOfDay(addDays(period.to, 1)),
        reportFormat({ name: 'Partner, "Quoted"\nLtd', orgId: 'O', subscriptionId: 'S' }),
      );
      const chunks = await h.db.selectFrom('billing_report_chunks').select('body').where('report_id', '=', id).orderBy('seq').execute();
      rows.push(...parseCsv(toCsvLine(REPORT_COLUMNS.USER) + chunks.map((c) => c.body).join('')));
    }
    const actual = new Map(
      rows.map((l) => [`${l.SUBSCRIBER_ID || l.WORKSPACE_ID}|${l.SERVICE_NAME!.toLowerCase()}`, toUnits(l.QUANTITY!)]),
    );
    // A workspace's row names only the workspace; a subscriber's row never names one.
    expect(rows.every((l) => (l.SUBSCRIBER_ID === '') !== (l.WORKSPACE_ID === ''))).toBe(true);
    expect(rows.filter((l) => l.WORKSPACE_ID).every((l) => l.USER_ID === '' && l.SERVICE_NAME === 'COMMON_AREA_CALLING')).toBe(true);
    for (const kind of ['ATTENDANT_CONSOLE', 'CISCO_CALLING_PLAN', 'COMMON_AREA_CALLING'])
      expect(rows.filter((l) => l.SERVICE_NAME === kind).length, kind).toBeGreaterThan(2);
    expect(new Set(rows.map((r) => r.PARTNER_NAME))).toEqual(new Set(['Partner, "Quoted"\nLtd']));
    expect(actual.size).toBeGreaterThan(20);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  it('orders lines by package, customer external id and subscriber id, byte by byte, and escapes customer columns', async () => {
    const templateId = await defaultTemplateId(h);
    // Byte order differs from a locale's here: 'B' < '_' < 'a', and a comma or quote needs quoting.
    const externalIds = ['a,comma', 'B-upper', '_under', 'q"uote'];
    const customers = [];
    for (const externalId of externalIds) {
      const c = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: `order-${customers.length}`,
          customerInfo: { name: `Order ${customers.length}`, primaryEmail: `admin${customers.length}@order.example` },
          packages: ['webex_calling', 'webex_meetings', 'webex_suite'],
        }),
      );
      // Provisioned (billing open) before the facts below.
      await h.db
        .updateTable('customers')
        .set({ external_id: externalId, billing_from: new Date('2026-03-01T00:00:00Z') })
        .where('id', '=', c.id)
        .execute();
      customers.push({ id: c.id as string, orgId: c.orgId as string, externalId });
    }
    const at = new Date('2026-03-10T06:00:00Z');
    for (const [i, c] of customers.entries()) {
      for (const [j, subId] of ['Zeta', 'alpha', 'Beta'].entries()) {
        const id = `ord-${i}-${subId}`;
        await h.db
          .insertInto('subscribers')
          .values({
            id,
            partner_id: h.partnerId,
            customer_id: c.id,
            email: `${id}@order.example`,
            first_name: null,
            last_name: null,
            package: 'webex_calling',
            primary_phone_number: null,
            extension: '1',
            location_id: null,
            is_admin: false,
            person_id: `person-${id}`,
            status: 'provisioned',
            errors: '[]',
            created_at: at,
            last_status_change: at,
          })
          .execute();
        await h.db
          .insertInto('package_events')
          .values({
            subscriber_id: id,
            customer_id: c.id,
            partner_id: h.partnerId,
            package: j === 1 ? 'webex_suite' : 'webex_calling',
            effective_at: at,
            recorded_at: at,
            cause: 'test',
          })
          .execute();
      }
    }
    const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const period = { from: '2026-03-01', to: '2026-03-31' };
    for (const type of ['USER', 'CUSTOMER'] as const) {
      const id = `order-${type}`;
      const report = await h.db
        .insertInto('billing_reports')
        .values({
          id,
          partner_id: h.partnerId,
          requested_by_partner_id: h.partnerId,
          sub_partner_org_id: null,
          type,
          category: 'RECONCILIATION',
          billing_start_date: period.from,
          billing_end_date: period.to,
          status: 'IN_PROGRESS',
          errors: '[]',
          row_count: null,
          created_by: 'test',
          created_at: h.clock.now(),
          completed_at: null,
          columns: JSON.stringify(REPORT_COLUMNS[type]),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const lines = await writeReconciliationCsv(
        h.db,
        report,
        startOfDay(period.from),
        startOfDay(addDays(period.to, 1)),
        reportFormat({ name: 'P', orgId: 'O', subscriptionId: 'S' }),
      );
      const chunks = await h.db.selectFrom('billing_report_chunks').select('body').where('report_id', '=', id).orderBy('seq').execute();
      const rows = parseCsv(toCsvLine(REPORT_COLUMNS[type]) + chunks.map((c) => c.body).join(''));
      expect(rows).toHaveLength(lines);
      const keys = rows.map((r) => [r.SERVICE_NAME!, r.CUSTOMER_EXTERNAL_ID!, r.SUBSCRIBER_ID ?? '']);
      const sorted = [...keys].sort((a, b) => byteOrder(a[0]!, b[0]!) || byteOrder(a[1]!, b[1]!) || byteOrder(a[2]!, b[2]!));
      expect(keys).toEqual(sorted);
      for (const c of customers) {
        const mine = rows.filter((r) => r.CUSTOMER_EXTERNAL_ID === c.externalId);
        expect(mine.every((r) => r.CUSTOMER_ORG_ID === c.orgId)).toBe(true);
        // Two calling subscribers and one suite subscriber each, held for the whole of March from the 10th.
        const held =
          type === 'USER'
            ? [
                ['WEBEX_CALLING', 2],
                ['WEBEX_SUITE', 1],
              ]
            : [
                ['WEBEX_CALLING', 1],
                ['WEBEX_SUITE', 1],
              ];
        for (const [service, count] of held) expect(mine.filter((r) => r.SERVICE_NAME === service)).toHaveLength(count as number);
        if (type === 'CUSTOMER') expect(mine.find((r) => r.SERVICE_NAME === 'WEBEX_CALLING')?.QUANTITY).toBe('43.5');
      }
    }
  });
});
