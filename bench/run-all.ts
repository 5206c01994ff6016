import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPostgresUrl, freshPostgresDatabase } from './bench-support.js';
import { benchProvisioning } from './provisioning-bench.js';
import { benchBillingReport } from './billing-report-bench.js';
import { benchEvents } from './events-bench.js';
import { benchScreening } from './screening-bench.js';
import { benchBotLatency } from './bot-latency-bench.js';
import { benchUpload } from './upload-bench.js';
import { benchReconcile } from './reconcile-bench.js';
import { benchUpstream, upstreamBenchSize } from './upstream-bench.js';
import { benchImport } from './import-bench.js';
import { benchSync, syncBenchSize } from './sync-bench.js';
import { benchIssue, issueBenchSize } from './issue-bench.js';
import { benchInvoicePdf } from './invoice-pdf-bench.js';
import { benchScreeningList } from './screening-list-bench.js';
import { benchCli } from './cli-bench.js';
import { benchScale, scaleBenchSize } from './scale-bench.js';

/** `npm run bench [-- name…]`: every benchmark, or those named. Figures are printed, never asserted. */
const wanted = process.argv.slice(2);
const want = (name: string) => wanted.length === 0 || wanted.includes(name);

if (want('provisioning')) {
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
  try {
    await benchProvisioning({ DATA_DIR: join(dir, 'pglite') }, 'PGlite');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench');
    try {
      const r = await benchProvisioning({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL');
      console.log(
        `provisioning target (10,000 in under 30 s on PostgreSQL): ${r.ms < 30_000 ? 'met' : 'NOT met'} (${(r.ms / 1000).toFixed(1)} s)`,
      );
    } finally {
      await fresh.drop();
    }
  } else {
    console.log('provisioning [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
  }
}

if (want('billing')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const results = [];
    for (const size of [5_000, 20_000, 80_000]) {
      const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_billing');
      try {
        results.push(await benchBillingReport({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL', size));
      } finally {
        await fresh.drop();
      }
    }
    const big = results[1]!;
    console.log(
      `billing target (20,000 subscribers under 5 s on PostgreSQL, within 2× the floor): ${big.totalMs < 5_000 && big.totalMs / big.floorMs <= 2 ? 'met' : 'NOT met'} ` +
        `(${(big.totalMs / big.floorMs).toFixed(2)}× the floor, ${(big.totalMs / big.bareMs).toFixed(2)}× the bare aggregate); live heap while streaming 5k → 20k → 80k: ${results.map((r) => (r.liveHeap / 1e6).toFixed(1)).join(' → ')} MB`,
    );
  } else {
    console.log('billing [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
  try {
    await benchBillingReport({ DATA_DIR: join(dir, 'pglite') }, 'PGlite', 20_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (want('events')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_events');
    try {
      const r = await benchEvents({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL');
      console.log(
        `events target (≥ 1,500 events/s and p99 < 50 ms on PostgreSQL): ${r.perSecond >= 1500 && r.p99 < 50 ? 'met' : 'NOT met'}`,
      );
    } finally {
      await fresh.drop();
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
  try {
    await benchEvents({ DATA_DIR: join(dir, 'pglite') }, 'PGlite');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (want('screening')) benchScreening();

if (want('bot')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_bot');
    try {
      await benchBotLatency({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL');
    } finally {
      await fresh.drop();
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
  try {
    await benchBotLatency({ DATA_DIR: join(dir, 'pglite') }, 'PGlite');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (want('upload')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_upload');
    try {
      await benchUpload({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL');
    } finally {
      await fresh.drop();
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
  try {
    await benchUpload({ DATA_DIR: join(dir, 'pglite') }, 'PGlite');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (want('reconcile')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const results = [];
    // BENCH_RECONCILE_SIZES=200000 for one size (profiling); the target needs all three.
    const sizes = process.env.BENCH_RECONCILE_SIZES?.split(',').map(Number) ?? [50_000, 100_000, 200_000];
    for (const size of sizes) {
      const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_reconcile');
      try {
        results.push(await benchReconcile({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL', size));
      } finally {
        await fresh.drop();
      }
    }
    const big = results[results.length - 1]!;
    console.log(
      `reconcile target (200,000 lines under 5 s on PostgreSQL, within 2× the desk's USER report, memory flat): ` +
        `${big.reconcileMs < 5_000 && big.reconcileMs / big.reportMs <= 2 ? 'met' : 'NOT met'} (${(big.reconcileMs / 1000).toFixed(2)} s, ${(big.reconcileMs / big.reportMs).toFixed(2)}×); ` +
        `live heap 50k → 100k → 200k: ${results.map((r) => (r.liveHeap / 1e6).toFixed(1)).join(' → ')} MB`,
    );
  } else {
    console.log('reconcile [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
  }
}

if (want('upstream')) {
  // PostgreSQL when it answers (PGlite's work runs on the event loop the fake and the client share).
  const report = (r: { ratio: number; duplicates: number }) =>
    console.log(
      `upstream target (within 1.2× the floor, zero duplicates): ${r.ratio <= 1.2 && r.duplicates === 0 ? 'met' : 'NOT met'} (${r.ratio.toFixed(2)}×, ${r.duplicates} duplicates)`,
    );
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_upstream');
    try {
      report(await benchUpstream({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL', upstreamBenchSize()));
    } finally {
      await fresh.drop();
    }
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
    try {
      report(await benchUpstream({ DATA_DIR: join(dir, 'pglite') }, 'PGlite', upstreamBenchSize()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (want('import')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_import');
    try {
      const r = await benchImport({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL');
      console.log(
        `import target (10,000 rows checked and applied under 15 s on PostgreSQL): ${r.importMs < 15_000 ? 'met' : 'NOT met'} (${(r.importMs / 1000).toFixed(1)} s)`,
      );
    } finally {
      await fresh.drop();
    }
  } else {
    console.log('import [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
  }
}

if (want('sync')) {
  // The service in its own process (its RSS its own), on PostgreSQL when it answers, else PGlite.
  const { customers, perCustomer } = syncBenchSize();
  const report = (r: { ratio: number; peakRssBytes: number }) =>
    console.log(
      `sync target (within 2× the fake's page-serving floor): ${r.ratio <= 2 ? 'met' : 'NOT met'} (${r.ratio.toFixed(2)}×; service peak RSS ${(r.peakRssBytes / 1e6).toFixed(0)} MB)`,
    );
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_sync');
    try {
      report(await benchSync({ DATABASE_URL: fresh.url }, 'PostgreSQL', customers, perCustomer));
    } finally {
      await fresh.drop();
    }
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
    try {
      report(await benchSync({ DATA_DIR: join(dir, 'pglite') }, 'PGlite', customers, perCustomer));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (want('screening-list')) {
  // BENCH_SCREENING_LIST_MB for a smaller list (a quick look); the target is for 48 MB.
  const bytes = Number(process.env.BENCH_SCREENING_LIST_MB ?? 48) * 1024 * 1024;
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_screening_list');
    try {
      await benchScreeningList({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL', bytes);
    } finally {
      await fresh.drop();
    }
  } else {
    console.log('screening-list [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
  }
  if (process.env.BENCH_SCREENING_LIST_DATABASES !== 'postgres') {
    const dir = await mkdtemp(join(tmpdir(), 'wd-bench-'));
    try {
      await benchScreeningList({ DATA_DIR: join(dir, 'pglite') }, 'PGlite', bytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (want('issue')) {
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const fresh = await freshPostgresDatabase(pgUrl, 'wd_bench_issue');
    try {
      const r = await benchIssue({ DATABASE_URL: fresh.url, DATA_DIR: 'unused' }, 'PostgreSQL', issueBenchSize());
      console.log(
        `issue target (issuing a month within 2× the same month's USER report on PostgreSQL): ${r.ratio <= 2 ? 'met' : 'NOT met'} (${r.ratio.toFixed(2)}×)`,
      );
    } finally {
      await fresh.drop();
    }
  } else {
    console.log('issue [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
  }
}

if (want('invoice-pdf')) await benchInvoicePdf();

if (want('cli')) await benchCli();
if (want('scale')) {
  // Issue 28's size is BENCH_SUBSCRIBERS=1000000 (about 15 minutes on a quiet machine); PostgreSQL only.
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) await benchScale(pgUrl, scaleBenchSize());
  else console.log('scale [PostgreSQL]: skipped, no server (set BENCH_DATABASE_URL)');
}
