import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { LabelledPair } from '../src/domain/compliance/evaluate-screening.js';
import { DEFAULT_SCREENING_THRESHOLD } from '../src/domain/compliance/review-rules.js';
import { createTaskWorker } from '../src/jobs/task-worker.js';
import { applyHeapGrowingPercent } from '../src/platform/heap-growth.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { matchAgainstList, screeningAvailability } from '../src/use-cases/screening-list.js';
import { createUseCases } from '../src/use-cases/use-cases.js';

/**
 * The service under test for `npm run bench -- screening-list`, in its own process (its RSS is its
 * own), with the task worker running as in production (SCREENING_REQUIRED on). Answers `peak` (RSS and
 * event-loop peaks since the last one), `customers` (how many are in each status) and `quality`
 * (the labelled pairs screened through the database against the loaded list).
 */
const { dbConfig, token } = await new Promise<{ dbConfig: DbConfig; token: string }>((resolve) =>
  process.once('message', (m) => resolve(m as { dbConfig: DbConfig; token: string })),
);
const config = loadConfig({ LOG_LEVEL: 'silent', ADMIN_API_TOKEN: token, RATE_LIMIT_PER_TOKEN: '0' });
// As src/main.ts does for the service it starts (HEAP_GROWING_PERCENT, default 50).
applyHeapGrowingPercent(config.HEAP_GROWING_PERCENT);
const { db } = await createDb(dbConfig);
await migrateToLatest(db);
const seed = await seedFirstStart(db, { partnerName: 'Bench', adminApiToken: token }, { clock: systemClock, ids: nodeIds });
const logger = pino({ level: 'silent' });
const worker = createTaskWorker({
  useCases: createUseCases({ db }),
  logger,
  clock: systemClock,
  ids: nodeIds,
  pollMs: 50,
  screeningRequired: true,
});
const app = createApp({
  useCases: createUseCases({ db }),
  config,
  logger,
  clock: systemClock,
  ids: nodeIds,
  downloadSecret: seed.downloadSecret,
  onWorkQueued: () => worker.wake(),
});
worker.start();
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
// Node closes a request still being received after 5 minutes (its default requestTimeout); on a
// machine many times over its cores a 48 MB load can take longer, and this bench is about screening.
server.requestTimeout = 0;
await new Promise((r) => server.once('listening', r));

// process.memoryUsage.rss() reads the RSS alone: process.memoryUsage() also walks V8's heap spaces, and
// sampled every 10 ms it was the service's second-largest cost in a CPU profile of this bench.
let peak = process.memoryUsage.rss();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);
process.on('message', async (m: unknown) => {
  if (m === 'peak') {
    peak = Math.max(peak, process.memoryUsage.rss());
    process.send?.({ peak, loopDelayMaxMs: loopDelay.max / 1e6, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 });
    peak = process.memoryUsage.rss();
    loopDelay.reset();
  } else if (m === 'customers') {
    const rows = await db
      .selectFrom('customers')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const tasks = await db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    process.send?.({ byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), pendingTasks: Number(tasks.n) });
  } else if (typeof m === 'object' && m !== null && 'pairs' in m) {
    const { pairs, targets } = m as { pairs: LabelledPair[]; targets: Record<string, string> };
    const list = await screeningAvailability(db);
    if (list.state !== 'ready') throw new Error(`the list is ${list.state}`);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const pair of pairs) {
      const matches = await matchAgainstList(
        db,
        list.versionId,
        { name: pair.customer, country: pair.customerCountry, address: pair.customerAddress },
        DEFAULT_SCREENING_THRESHOLD,
      );
      const hit = matches.some((x) => x.entryId === targets[pair.listName]);
      if (hit && pair.same) tp += 1;
      else if (hit && !pair.same) fp += 1;
      else if (!hit && pair.same) fn += 1;
    }
    process.send?.({ tp, fp, fn });
  } else if (m === 'stop') {
    clearInterval(sampler);
    await worker.stop();
    await new Promise((r) => server.close(r));
    await db.destroy();
    process.exit(0);
  }
});
process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
