import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createUseCases } from '../src/use-cases/use-cases.js';

/**
 * The service under test for `npm run bench -- upload`, in its own process so its resident memory
 * is its own: it listens on a free port, samples its RSS every 10 ms and its event-loop delay,
 * and answers the parent's `peak` message with the peaks since the last one (then starts a new window).
 */
const { dbConfig, token } = await new Promise<{ dbConfig: DbConfig; token: string }>((resolve) =>
  process.once('message', (m) => resolve(m as { dbConfig: DbConfig; token: string })),
);
const { db } = await createDb(dbConfig);
await migrateToLatest(db);
const seed = await seedFirstStart(db, { partnerName: 'Bench', adminApiToken: token }, { clock: systemClock, ids: nodeIds });
const app = createApp({
  useCases: createUseCases({ db }),
  config: loadConfig({ LOG_LEVEL: 'silent', ADMIN_API_TOKEN: token }),
  logger: pino({ level: 'silent' }),
  clock: systemClock,
  ids: nodeIds,
  downloadSecret: seed.downloadSecret,
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
await new Promise((r) => server.once('listening', r));

let peak = process.memoryUsage().rss;
/** The service's own view: the longest its event loop was held (what a probe waits behind). */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
process.on('message', async (m) => {
  if (m === 'peak') {
    peak = Math.max(peak, process.memoryUsage().rss);
    process.send?.({ peak, loopDelayMaxMs: loopDelay.max / 1e6, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 });
    peak = process.memoryUsage().rss;
    loopDelay.reset();
  } else if (m === 'stop') {
    clearInterval(sampler);
    await new Promise((r) => server.close(r));
    await db.destroy();
    process.exit(0);
  }
});
process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
