import { sql } from 'kysely';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadRootPartner } from '../src/use-cases/operator-admin.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { createReport, generateReport } from '../src/use-cases/billing-reports.js';
import { putPriceBook } from '../src/use-cases/invoices.js';
import { issueInvoicesForMonth } from '../src/use-cases/issue-invoices.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { seconds } from './bench-support.js';

/** Subscribers for `npm run bench -- issue` (ISSUE_BENCH_SUBSCRIBERS; 200,000 by default, 20 per customer). */
export const issueBenchSize = () => Number(process.env.ISSUE_BENCH_SUBSCRIBERS ?? 200_000);

/**
 * Issuing a month (issue #26) against the same month's USER report, in the same run on the same data:
 * `subscribers` subscribers over subscribers ÷ 20 customers, April and May; ~10% change package in May,
 * 1% are removed in May. April is issued first (untimed); then 1% of subscribers get a removal dated
 * into April, recorded after April was issued, so May's issue also computes adjustments for April. Timed:
 * the USER report for May (request → COMPLETED, best of two) and issuing May (once: an issued month cannot
 * be issued again). The target is issuing within 2× the report.
 */
export async function benchIssue(dbConfig: DbConfig, label: string, subscribers: number) {
  // Seeding 200,000 subscribers in one statement outlasts the service's statement timeout on a busy machine.
  const { db } = await createDb({ ...dbConfig, DB_STATEMENT_TIMEOUT_MS: 600_000 });
  await migrateToLatest(db);
  await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const partner = (await loadRootPartner(db))!;
  const customers = Math.max(1, Math.floor(subscribers / 20));
  await sql`
    insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale, org_country,
      address, packages, status, request_fingerprint, created_at, updated_at, status_changed_at, billing_from)
    select 'c' || g, ${partner.id}, 'ext-' || g, 'org-' || g, false, (select id from onboarding_templates limit 1), 'Customer ' || g, null, 'en_US', 'en_US', 'US',
      '{"addressLine1":"1 Main St","city":"Springfield","country":"US"}'::jsonb, '["webex_calling","webex_meetings","webex_suite"]'::jsonb, 'provisioned', '{}',
      timestamptz '2026-03-01T00:00:00Z', timestamptz '2026-03-01T00:00:00Z', timestamptz '2026-03-01T00:00:00Z', timestamptz '2026-03-15T00:00:00Z'
    from generate_series(1, ${customers}) g`.execute(db);
  await sql`
    insert into locations (id, customer_id, name, address, timezone, language, created_at)
    select 'loc-' || g, 'c' || g, 'HQ', '{}'::jsonb, 'America/New_York', 'en_US', now()
    from generate_series(1, ${customers}) g`.execute(db);
  const seeded = new Date('2026-04-01T00:00:00Z');
  for (let lo = 1; lo <= subscribers; lo += 25_000) {
    const hi = Math.min(subscribers, lo + 24_999);
    await sql`
      insert into subscribers (id, partner_id, customer_id, email, package, addons, is_admin, person_id, location_id, status, created_at, last_status_change)
      select 's' || g, ${partner.id}, 'c' || (1 + g % ${customers}), 'u' || g || '@bench.example', 'webex_calling', '[]'::jsonb, false, 'p' || g,
        'loc-' || (1 + g % ${customers}), 'provisioned', now(), now()
      from generate_series(${lo}::int, ${hi}::int) g`.execute(db);
    await sql`
      insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
      select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, case when g % 3 = 0 then 'webex_meetings' else 'webex_calling' end,
        timestamptz '2026-03-20T00:00:00Z' + (g % 86400) * interval '1 second', ${seeded}, 'bench'
      from generate_series(${lo}::int, ${hi}::int) g`.execute(db);
    await sql`
      insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
      select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, case when g % 100 = 7 then null else 'webex_suite' end,
        timestamptz '2026-05-01T00:00:00Z' + (g * 7919 % (31 * 86400)) * interval '1 second', ${seeded}, 'bench'
      from generate_series(${lo}::int, ${hi}::int) g where g % 10 = 0 or g % 100 = 7`.execute(db);
  }
  const actor = { partner, label: 'bench' };
  const price = await putPriceBook(
    db,
    actor,
    {
      effectiveFrom: '2026-03-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 1500 },
        { package: 'webex_meetings', monthlyPrice: 900 },
        { package: 'webex_suite', monthlyPrice: 2500, policy: 'average_rounded_up' },
      ],
    },
    { now: seeded, uuid: nodeIds.uuid },
  );
  if (!price.ok) throw new Error(JSON.stringify(price.problems));
  await sql`analyze`.execute(db);

  const april = await issueInvoicesForMonth(db, actor, '2026-04', new Date('2026-05-01T06:00:00Z'));
  if (!april.ok) throw new Error(JSON.stringify(april.problems));
  // Removals dated into April, recorded after April was issued: May's invoices carry the credits.
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, null, timestamptz '2026-04-25T00:00:00Z', timestamptz '2026-05-10T00:00:00Z', 'bench'
    from generate_series(1, ${subscribers}) g where g % 100 = 11`.execute(db);
  await sql`analyze`.execute(db);

  const now = new Date('2026-06-01T06:00:00Z');
  let reportMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 2; round++) {
    await db.deleteFrom('billing_reports').execute();
    const start = performance.now();
    const created = await createReport(
      db,
      actor,
      { billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', type: 'USER' },
      { now, uuid: nodeIds.uuid },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    const done = await generateReport(db, created.value.report.id, { now, uuid: nodeIds.uuid });
    if (done?.status !== 'COMPLETED') throw new Error(`report ${done?.status}`);
    reportMs = Math.min(reportMs, performance.now() - start);
  }
  const start = performance.now();
  const may = await issueInvoicesForMonth(db, actor, '2026-05', now);
  const issueMs = performance.now() - start;
  if (!may.ok) throw new Error(JSON.stringify(may.problems));
  const adjustments = may.value.issued.reduce((a, i) => a + i.adjustments.length, 0);
  const ratio = issueMs / reportMs;
  console.log(
    `issue [${label}, ${customers.toLocaleString('en')} customers, ${subscribers.toLocaleString('en')} subscribers]: ` +
      `issuing May ${seconds(issueMs)} s (${may.value.issued.length.toLocaleString('en')} invoices, ${adjustments.toLocaleString('en')} adjustment lines for April) ` +
      `vs the USER report for May ${seconds(reportMs)} s: ${ratio.toFixed(2)}× (target ≤ 2×)`,
  );
  await db.destroy();
  return { issueMs, reportMs, ratio, invoices: may.value.issued.length, adjustments };
}
