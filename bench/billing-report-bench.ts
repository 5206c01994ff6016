import { sql } from 'kysely';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createReport, generateReport } from '../src/use-cases/billing-reports.js';
import { csvStream } from '../src/use-cases/report-csv.js';
import { findRootPartner } from '../src/db/repositories/partners.js';
import { seconds } from './bench-support.js';

/**
 * A USER report for May over `subscribers` subscribers, ~10% changing package mid-month:
 * generation (SQL) plus streaming the whole CSV out, against the floor: one hand-written SQL
 * aggregate returning the same per-subscriber quantities. Best of three each; peak heap sampled throughout.
 */
export async function benchBillingReport(dbConfig: DbConfig, label: string, subscribers: number) {
  const { db } = await createDb(dbConfig);
  await migrateToLatest(db);
  await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const partner = (await findRootPartner(db))!;
  const customers = Math.max(1, Math.floor(subscribers / 40));
  await sql`
    insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale, org_country,
      address, packages, status, request_fingerprint, created_at, updated_at, status_changed_at)
    select 'c' || g, ${partner.id}, 'ext-' || g, 'org-' || g, false, (select id from onboarding_templates limit 1), 'Customer ' || g, null, 'en_US', 'en_US', 'US',
      '{}'::jsonb, '["webex_calling","webex_meetings","webex_suite"]'::jsonb, 'provisioned', '{}', now(), now(), now()
    from generate_series(1, ${customers}) g`.execute(db);
  await sql`
    insert into subscribers (id, partner_id, customer_id, email, package, is_admin, person_id, status, created_at, last_status_change)
    select 's' || g, ${partner.id}, 'c' || (1 + g % ${customers}), 'u' || g || '@bench.example', 'webex_calling', false, 'p' || g, 'provisioned', now(), now()
    from generate_series(1, ${subscribers}) g`.execute(db);
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, case when g % 3 = 0 then 'webex_meetings' else 'webex_calling' end,
      timestamptz '2026-04-20T00:00:00Z' + (g % 86400) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g`.execute(db);
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, 'webex_suite',
      timestamptz '2026-05-01T00:00:00Z' + (g * 7919 % (31 * 86400)) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g where g % 10 = 0`.execute(db);
  await sql`analyze`.execute(db);

  let peakHeap = 0;
  const baseHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - baseHeap)), 5);
  const now = new Date('2026-06-15T12:00:00Z');
  const deps = { now, uuid: nodeIds.uuid };

  // Best of three for both, alternating, so caches and JIT treat them alike.
  let best = { totalMs: Infinity, generatedMs: 0, bytes: 0, rows: 0 };
  let floorMs = Infinity;
  let floorRows = 0;
  for (let round = 0; round < 3; round += 1) {
    const floorStart = performance.now();
    const floor = await sql<{ n: number }>`
      with ev as (
        select subscriber_id, package, effective_at, lead(effective_at) over (partition by subscriber_id order by effective_at, id) as next_at
        from package_events where partner_id = ${partner.id} and effective_at < timestamptz '2026-06-01T00:00:00Z'
      )
      select subscriber_id, package,
        ((sum(extract(epoch from least(coalesce(next_at, 'infinity'), timestamptz '2026-06-01T00:00:00Z') - greatest(effective_at, timestamptz '2026-05-01T00:00:00Z')))::bigint * 10000 + 43200) / 86400) as units
      from ev where package is not null and least(coalesce(next_at, 'infinity'), timestamptz '2026-06-01T00:00:00Z') > greatest(effective_at, timestamptz '2026-05-01T00:00:00Z')
      group by subscriber_id, package`.execute(db);
    floorMs = Math.min(floorMs, performance.now() - floorStart);
    floorRows = floor.rows.length;

    await db.deleteFrom('billing_reports').execute();
    const started = performance.now();
    const created = await createReport(db, { partner, label: 'bench' }, { billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', type: 'USER' }, deps);
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    const report = await generateReport(db, created.value.report.id, deps);
    if (report?.status !== 'COMPLETED') throw new Error(`report ${report?.status}: ${JSON.stringify(report?.errors)}`);
    const generatedMs = performance.now() - started;
    let bytes = 0;
    const reader = (await csvStream(db, report)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    const totalMs = performance.now() - started;
    if (totalMs < best.totalMs) best = { totalMs, generatedMs, bytes, rows: report.row_count ?? 0 };
  }
  clearInterval(sampler);
  const { totalMs, generatedMs, bytes } = best;
  await db.destroy();
  console.log(
    `billing USER report [${label}] ${subscribers} subscribers (${best.rows} rows, ${(bytes / 1e6).toFixed(1)} MB CSV): ` +
      `generate ${seconds(generatedMs)} s + stream = ${seconds(totalMs)} s; floor (one SQL aggregate, ${floorRows} rows) ${seconds(floorMs)} s; ` +
      `ratio ${(totalMs / floorMs).toFixed(2)}× the floor; peak heap +${(peakHeap / 1e6).toFixed(1)} MB`,
  );
  return { totalMs, floorMs, peakHeap };
}
