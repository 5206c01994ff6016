import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadRootPartner } from '../src/use-cases/operator-admin.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { createReport, generateReport } from '../src/use-cases/billing-reports.js';
import { getReconciliationSummary, reconcileBillingReport } from '../src/use-cases/reconciliations.js';
import { csvStream } from '../src/use-cases/report-csv.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createReportDownloader } from '../src/webex/report-download.js';
import { seconds } from './bench-support.js';

/** The file over http on loopback, streamed from disk: Cisco's content host, for the download path. */
async function serveFile(file: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * A USER report of `subscribers` lines (May; every subscriber holds one package, 1% are removed
 * mid-month) reconciled against a ledger of the same size. Cisco's file is the desk's own USER
 * report, written to disk with 0.5 added to one line in 1,000 and streamed in from the file, as an
 * upload is. Timed (best of two each): the reconciliation (parse, stage, join with the ledger, store
 * every line), beside generating and streaming the desk's own USER report for the period. Memory: a third,
 * untimed pass collects garbage before every sample (every 50 ms), so the live heap shows what the
 * reconciliation holds at once; that pass downloads the file over http as the fetch path does. The
 * timed runs' peak heap also counts garbage not yet collected.
 */
export async function benchReconcile(dbConfig: DbConfig, label: string, subscribers: number) {
  // Seeding 200,000 subscribers on a busy machine can take longer than the service's 10 s statement limit.
  const { db } = await createDb({ DB_STATEMENT_TIMEOUT_MS: 600_000, ...dbConfig });
  await migrateToLatest(db);
  await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const partner = (await loadRootPartner(db))!;
  const customers = Math.max(1, Math.floor(subscribers / 40));
  await sql`
    insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale, org_country,
      address, packages, status, request_fingerprint, created_at, updated_at, status_changed_at)
    select 'c' || g, ${partner.id}, 'ext-' || g, 'org-' || g, false, (select id from onboarding_templates limit 1), 'Customer ' || g, null, 'en_US', 'en_US', 'US',
      '{}'::jsonb, '["webex_calling","webex_meetings"]'::jsonb, 'provisioned', '{}', timestamptz '2026-04-01T00:00:00Z', now(), now()
    from generate_series(1, ${customers}) g`.execute(db);
  // Billing opens at provisioning where the schema records it (the money rules); nothing else differs.
  const billingFrom = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns
    where table_name = 'customers' and column_name = 'billing_from'`.execute(db);
  if (billingFrom.rows[0]!.n) await sql`update customers set billing_from = created_at`.execute(db);
  await sql`
    insert into locations (id, customer_id, name, address, timezone, language, created_at)
    select 'loc-' || g, 'c' || g, 'HQ', '{}'::jsonb, 'America/New_York', 'en_US', now()
    from generate_series(1, ${customers}) g`.execute(db);
  await sql`
    insert into subscribers (id, partner_id, customer_id, email, package, is_admin, person_id, location_id, status, created_at, last_status_change)
    select 's' || g, ${partner.id}, 'c' || (1 + g % ${customers}), 'u' || g || '@bench.example', 'webex_calling', false, 'p' || g, 'loc-' || (1 + g % ${customers}), 'provisioned', now(), now()
    from generate_series(1, ${subscribers}) g`.execute(db);
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, case when g % 3 = 0 then 'webex_meetings' else 'webex_calling' end,
      timestamptz '2026-04-20T00:00:00Z' + (g % 86400) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g`.execute(db);
  await sql`
    insert into package_events (subscriber_id, customer_id, partner_id, package, effective_at, recorded_at, cause)
    select 's' || g, 'c' || (1 + g % ${customers}), ${partner.id}, null,
      timestamptz '2026-05-01T00:00:00Z' + (g * 7919 % (31 * 86400)) * interval '1 second', now(), 'bench'
    from generate_series(1, ${subscribers}) g where g % 100 = 7`.execute(db);
  await sql`analyze`.execute(db);

  const deps = { now: new Date('2026-06-15T12:00:00Z'), uuid: nodeIds.uuid };
  const actor = { partner, label: 'bench' };
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-reconcile-'));
  const file = join(dir, 'cisco-user.csv');
  let reportMs = Number.POSITIVE_INFINITY;
  let reconcileMs = Number.POSITIVE_INFINITY;
  let peakHeap = 0;
  let liveHeap = 0;
  let lines = 0;
  let planted = 0;
  let found = '';
  let served: { server: Server; url: string } | undefined;
  try {
    for (let round = 0; round < 2; round += 1) {
      await db.deleteFrom('billing_reports').execute();
      const started = performance.now();
      const created = await createReport(db, actor, { billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', type: 'USER' }, deps);
      if (!created.ok) throw new Error(JSON.stringify(created.problems));
      const report = await generateReport(db, created.value.report.id, deps);
      if (report?.status !== 'COMPLETED') throw new Error(`report ${report?.status}`);
      const reader = (await csvStream(db, report)).getReader();
      const decoder = new TextDecoder();
      if (round === 0) await writeFile(file, '');
      let pending = '';
      const out: string[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Written to disk as Cisco's file, 0.5 more on one line in 1,000 (outside the timing below).
        pending += decoder.decode(value, { stream: true });
        const cut = pending.lastIndexOf('\r\n');
        if (cut < 0) continue;
        for (const line of pending.slice(0, cut).split('\r\n')) {
          lines += round === 0 && !line.startsWith('PARTNER_NAME') ? 1 : 0;
          if (round === 0 && lines % 1000 === 500 && !line.startsWith('PARTNER_NAME')) {
            const f = line.split(',');
            f[8] = String(Number(f[8]) + 0.5);
            planted += 1;
            out.push(f.join(','));
          } else out.push(line);
        }
        pending = pending.slice(cut + 2);
        if (round === 0) {
          await appendFile(file, `${out.join('\r\n')}\r\n`);
        }
        out.length = 0;
      }
      reportMs = Math.min(reportMs, performance.now() - started);
    }

    // The untimed pass downloads the file as the fetch path does (src/webex/report-download.ts, from a
    // loopback server standing in for Cisco's content host), so its live heap covers that path too.
    served = await serveFile(file);
    const download = createReportDownloader({ allowedHosts: ['127.0.0.1'], idleTimeoutMs: 60_000 });
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Rounds 0 and 1 are timed (best of two, as the report is); round 2 collects garbage before every
    // sample, so it shows what the reconciliation holds at once (live heap).
    for (let round = 0; round < 3; round += 1) {
      const timed = round < 2;
      gc();
      const baseHeap = process.memoryUsage().heapUsed;
      const sample = () => {
        if (!timed) gc();
        const used = process.memoryUsage().heapUsed - baseHeap;
        if (timed) peakHeap = Math.max(peakHeap, used);
        else liveHeap = Math.max(liveHeap, used);
      };
      const sampler = setInterval(sample, timed ? 5 : 50);
      const started = performance.now();
      const done = await reconcileBillingReport(
        db,
        actor,
        {
          billingStartDate: '2026-05-01',
          billingEndDate: '2026-05-31',
          toleranceUnits: 1,
          source: timed ? 'upload' : 'webex',
          upload: timed ? createReadStream(file) : download(`${served.url}/cisco-user.csv?Signature=bench`),
        },
        deps,
      );
      const ms = performance.now() - started;
      clearInterval(sampler);
      sample();
      if (!done.ok) throw new Error(JSON.stringify(done.problems));
      if (timed) reconcileMs = Math.min(reconcileMs, ms);
      const summary = await getReconciliationSummary(db, actor, done.value.id);
      if (!summary.ok) throw new Error('no summary');
      const c = summary.value.classes;
      found = `${c.match.lines} match, ${c.quantity_difference.lines} differ, ${c.only_cisco.lines} only Cisco, ${c.only_desk.lines} only desk`;
      if (c.quantity_difference.lines !== planted || c.only_cisco.lines || c.only_desk.lines)
        throw new Error(`planted ${planted} differences, found ${found}`);
    }
  } finally {
    served?.server.close();
    await rm(dir, { recursive: true, force: true });
    await db.destroy();
  }
  console.log(
    `reconcile USER [${label}] ${lines} lines vs a ledger of ${subscribers} subscribers: ${seconds(reconcileMs)} s ` +
      `(the desk's own USER report, generated and streamed: ${seconds(reportMs)} s → ${(reconcileMs / reportMs).toFixed(2)}×); ` +
      `peak heap +${(peakHeap / 1e6).toFixed(1)} MB (garbage included), live heap +${(liveHeap / 1e6).toFixed(1)} MB; ${found} (${planted} planted)`,
  );
  return { lines, reconcileMs, reportMs, peakHeap, liveHeap };
}
