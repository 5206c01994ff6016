import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import type { BillingReportRow, Db } from '../src/db/schema.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createReport, generateReport } from '../src/use-cases/billing-reports.js';
import { csvStream, reportCsvText } from '../src/use-cases/report-csv.js';
import { loadRootPartner } from '../src/use-cases/operator-admin.js';
import { formatUnits } from '../src/domain/proration.js';
import { seconds } from './bench-support.js';

/**
 * A USER report for May over `subscribers` subscribers: ~10% change package mid-month, 1% are removed
 * mid-month, 10% hold the Attendant Console add-on (its own ledger stream, ended by a removal), there
 * are workspaces (Common Area Calling) numbering 2% of the subscribers, a tenth of them removed
 * mid-month, and 2% of customers start billing on the 10th. Timed: request → COMPLETED (generation in
 * SQL) plus streaming the whole CSV out, as a download would.
 *
 * The floor is one hand-written SQL statement that returns the same answer to the client: every USER
 * row's package, customer and subscriber ids, first and last day and quantity, clipped by the same
 * rules, in the report's order. The bench checks that the floor's rows and the CSV's lines agree,
 * line for line, so the two do the same job. The bare aggregate (subscriber, package, quantity, no
 * clipping, ids, dates or order) is printed beside it for scale. Best of three each, alternating;
 * peak heap is sampled while the report is generated and streamed.
 */
/** Subscribers holding Attendant Console: 10%, all on webex_calling (g % 3 <> 0). */
const ATTENDANT = sql`g % 30 in (1, 4, 7)`;

export async function benchBillingReport(dbConfig: DbConfig, label: string, subscribers: number) {
  const { db } = await createDb(dbConfig);
  await migrateToLatest(db);
  await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const partner = (await loadRootPartner(db))!;
  const customers = Math.max(1, Math.floor(subscribers / 40));
  await sql`
    insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale, org_country,
      address, packages, status, request_fingerprint, created_at, updated_at, status_changed_at, billing_start_date, billing_from)
    select 'c' || g, ${partner.id}, 'ext-' || g, 'org-' || g, false, (select id from onboarding_templates limit 1), 'Customer ' || g, null, 'en_US', 'en_US', 'US',
      '{}'::jsonb, '["webex_calling","webex_meetings","webex_suite","attendant_console","common_area_calling"]'::jsonb, 'provisioned', '{}', now(), now(), now(),
      case when g % 50 = 0 then date '2026-05-10' end,
      -- 1% of customers held in compliance review until mid-May: billed from the approval.
      case when g % 100 = 3 then timestamptz '2026-05-15T12:00:00Z' else timestamptz '2026-04-01T00:00:00Z' end
    from generate_series(1, ${customers}) g`.execute(db);
  await sql`
    insert into locations (id, customer_id, name, address, timezone, language, created_at)
    select 'loc-' || g, 'c' || g, 'HQ', '{}'::jsonb, 'America/New_York', 'en_US', now()
    from generate_series(1, ${customers}) g`.execute(db);
  await sql`
    insert into subscribers (id, partner_id, customer_id, email, package, addons, is_admin, person_id, location_id, status, created_at, last_status_change)
    select 's' || g, ${partner.id}, 'c' || (1 + g % ${customers}), 'u' || g || '@bench.example', 'webex_calling',
      case when ${ATTENDANT} then '["attendant_console"]'::jsonb else '[]'::jsonb end, false, 'p' || g, 'loc-' || (1 + g % ${customers}), 'provisioned', now(), now()
    from generate_series(1, ${subscribers}) g`.execute(db);
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, case when g % 3 = 0 then 'webex_meetings' else 'webex_calling' end,
      timestamptz '2026-04-20T00:00:00Z' + (g % 86400) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g`.execute(db);
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, case when g % 100 = 7 then null else 'webex_suite' end,
      timestamptz '2026-05-01T00:00:00Z' + (g * 7919 % (31 * 86400)) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g where g % 10 = 0 or g % 100 = 7`.execute(db);
  // Attendant Console on a calling base (g % 3 <> 0 holds webex_calling), from the same instant.
  await sql`
    insert into package_events (subscriber_id, slot, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'attendant_console', 'c' || (1 + g % ${customers}), ${partner.id}, 'attendant_console',
      timestamptz '2026-04-20T00:00:00Z' + (g % 86400) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g where ${ATTENDANT}`.execute(db);
  const workspaces = Math.floor(subscribers / 50);
  await sql`
    insert into workspaces (id, partner_id, customer_id, name, package, extension, location_id, status, created_at, last_status_change)
    select 'w' || g, ${partner.id}, 'c' || (1 + g % ${customers}), 'Room ' || g, 'common_area_calling', '19' || g, 'loc-' || (1 + g % ${customers}),
      'provisioned', now(), now()
    from generate_series(1, ${workspaces}) g`.execute(db);
  await sql`
    insert into package_events (workspace_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 'w' || g, 'c' || (1 + g % ${customers}), ${partner.id}, 'common_area_calling',
      timestamptz '2026-04-25T00:00:00Z' + (g * 7 % 86400) * interval '1 second', now(), 'bench'
    from generate_series(1, ${workspaces}) g`.execute(db);
  await sql`
    insert into package_events (workspace_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 'w' || g, 'c' || (1 + g % ${customers}), ${partner.id}, null,
      timestamptz '2026-05-01T00:00:00Z' + (g * 7919 % (31 * 86400)) * interval '1 second', now(), 'bench'
    from generate_series(1, ${workspaces}) g where g % 10 = 3`.execute(db);
  await sql`analyze`.execute(db);

  const now = new Date('2026-06-15T12:00:00Z');
  const deps = { now, uuid: nodeIds.uuid };
  const [from, to] = [new Date('2026-05-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z')];

  let best = { totalMs: Infinity, generatedMs: 0, bytes: 0, rows: 0 };
  let floor = { ms: Infinity, rows: [] as FloorRow[] };
  let bareMs = Infinity;
  let peakHeap = 0;
  let liveHeap = 0;
  let csv = '';
  for (let round = 0; round < 3; round += 1) {
    const bareStart = performance.now();
    await sql`
      with ev as (
        select subscriber_id, workspace_id, package, effective_at,
          lead(effective_at) over (partition by subscriber_id, workspace_id, slot order by effective_at, id) as next_at
        from package_events where partner_id = ${partner.id} and effective_at < ${to}::timestamptz
      )
      select subscriber_id, workspace_id, package,
        ((sum(extract(epoch from least(coalesce(next_at, 'infinity'), ${to}::timestamptz) - greatest(effective_at, ${from}::timestamptz)))::bigint * 10000 + 43200) / 86400) as units
      from ev where package is not null and least(coalesce(next_at, 'infinity'), ${to}::timestamptz) > greatest(effective_at, ${from}::timestamptz)
      group by subscriber_id, workspace_id, package`.execute(db);
    bareMs = Math.min(bareMs, performance.now() - bareStart);

    const floorStart = performance.now();
    const rows = await sql<FloorRow>`
      with ev as (
        select subscriber_id, workspace_id, customer_id, package, effective_at,
          lead(effective_at) over (partition by subscriber_id, workspace_id, slot order by effective_at, id) as next_at,
          min(effective_at) filter (where package is null and slot = 'base') over (partition by subscriber_id, workspace_id) as end_at
        from package_events where partner_id = ${partner.id} and effective_at < ${to}::timestamptz
      ), iv as (
        select ev.customer_id, ev.subscriber_id, ev.workspace_id, ev.package,
          greatest(ev.effective_at, ${from}::timestamptz, coalesce(c.billing_from, 'infinity'),
            coalesce(c.billing_start_date::timestamp at time zone 'UTC', '-infinity'),
            coalesce((select p.billing_start_date from partners p where p.id = ${partner.id})::timestamp at time zone 'UTC', '-infinity')) as s,
          least(coalesce(ev.next_at, 'infinity'), coalesce(ev.end_at, 'infinity'), ${to}::timestamptz) as e
        from ev join customers c on c.id = ev.customer_id
        where ev.package is not null
      ), u as (
        select customer_id, subscriber_id, workspace_id, package,
          (sum(extract(epoch from e - s))::bigint * 10000 + 43200) / 86400 as units,
          to_char(min(s) at time zone 'UTC', 'YYYY-MM-DD') as first_day,
          to_char((max(e) - interval '1 second') at time zone 'UTC', 'YYYY-MM-DD') as last_day
        from iv where e > s
        group by customer_id, subscriber_id, workspace_id, package
      )
      select u.package, u.first_day, u.last_day, u.units, c.org_id, c.external_id, coalesce(sb.location_id, ws.location_id) as location_id,
        u.subscriber_id, sb.person_id, u.workspace_id
      from u join customers c on c.id = u.customer_id
        left join subscribers sb on sb.id = u.subscriber_id left join workspaces ws on ws.id = u.workspace_id
      order by u.package collate "C", c.external_id collate "C", c.id collate "C", coalesce(u.subscriber_id, u.workspace_id) collate "C"`.execute(
      db,
    );
    const floorMs = performance.now() - floorStart;
    if (floorMs < floor.ms) floor = { ms: floorMs, rows: rows.rows };

    await db.deleteFrom('billing_reports').execute();
    const baseHeap = process.memoryUsage().heapUsed;
    const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - baseHeap));
    // PGlite runs in this thread and blocks timers while it works: sample at every step as well.
    const sampler = setInterval(sample, 2);
    const started = performance.now();
    const created = await createReport(
      db,
      { partner, label: 'bench' },
      { billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', type: 'USER' },
      deps,
    );
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    const report = await generateReport(db, created.value.report.id, deps);
    if (report?.status !== 'COMPLETED') throw new Error(`report ${report?.status}: ${JSON.stringify(report?.errors)}`);
    const generatedMs = performance.now() - started;
    sample();
    let bytes = 0;
    const reader = (await csvStream(db, report)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      sample();
    }
    const totalMs = performance.now() - started;
    clearInterval(sampler);
    if (totalMs < best.totalMs) best = { totalMs, generatedMs, bytes, rows: report.row_count ?? 0 };
    if (round === 2) {
      csv = await reportCsvText(db, report);
      liveHeap = await liveHeapWhileStreaming(db, report);
    }
  }
  checkSameAnswer(csv, floor.rows);
  const { totalMs, generatedMs, bytes } = best;
  await db.destroy();
  console.log(
    `billing USER report [${label}] ${subscribers} subscribers (${best.rows} rows, ${(bytes / 1e6).toFixed(1)} MB CSV): ` +
      `generate ${seconds(generatedMs)} s + stream = ${seconds(totalMs)} s; ` +
      `floor (one hand-written SQL statement returning the same ${floor.rows.length} rows) ${seconds(floor.ms)} s → ratio ${(totalMs / floor.ms).toFixed(2)}× the floor; ` +
      `bare aggregate (quantities only) ${seconds(bareMs)} s → ${(totalMs / bareMs).toFixed(2)}×; peak heap +${(peakHeap / 1e6).toFixed(1)} MB, live heap while streaming +${(liveHeap / 1e6).toFixed(1)} MB`,
  );
  return { totalMs, floorMs: floor.ms, bareMs, peakHeap, liveHeap };
}

interface FloorRow {
  package: string;
  first_day: string;
  last_day: string;
  units: string | number;
  org_id: string;
  external_id: string;
  location_id: string | null;
  subscriber_id: string | null;
  person_id: string | null;
  workspace_id: string | null;
}

/** The CSV (no field in the bench needs quoting) must hold exactly the floor's rows, in its order. */
function checkSameAnswer(csv: string, rows: FloorRow[]) {
  const lines = csv.split('\r\n').slice(1, -1);
  if (lines.length !== rows.length) throw new Error(`the CSV has ${lines.length} lines, the floor ${rows.length} rows`);
  rows.forEach((r, i) => {
    const f = lines[i]!.split(',');
    const want = [
      r.package.toUpperCase(),
      r.first_day,
      r.last_day,
      formatUnits(Number(r.units)),
      r.org_id,
      r.external_id,
      r.subscriber_id ?? '',
      r.person_id ?? '',
      r.workspace_id ?? '',
      r.location_id ?? '',
    ];
    const got = [f[3], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14]];
    if (want.join(',') !== got.join(',')) throw new Error(`line ${i + 1} differs from the floor: ${got.join(',')} vs ${want.join(',')}`);
  });
}

/**
 * Peak heap counts garbage the collector has not reclaimed yet, which grows with the bytes streamed
 * whatever is retained. This untimed pass collects before every reading, so it shows what the
 * download actually holds at once.
 */
async function liveHeapWhileStreaming(db: Db, report: BillingReportRow): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const reader = (await csvStream(db, report)).getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  }
  return peak;
}
