import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createUseCases } from '../src/use-cases/use-cases.js';

const SECRET = 'bench-events-secret-0123456789';

async function listen(fetchHandler: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r(undefined))),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Drives the POSTs from a child process over real HTTP with `concurrency` in flight. */
async function drive(url: string, bodies: string[], concurrency: number, sign: boolean) {
  const child = fork(fileURLToPath(new URL('./http-load-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });
  child.send({ url, bodies, concurrency, secret: sign ? SECRET : null });
  const [result] = (await once(child, 'message')) as [{ ms: number; latencies: number[]; errors: number }];
  await once(child, 'exit');
  const latencies = result.latencies.sort((a, b) => a - b);
  return {
    perSecond: bodies.length / (result.ms / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: result.errors,
  };
}

/**
 * Signed events accepted per second over HTTP (verify, validate, inbox insert, 202) with p50/p99,
 * beside a bare Hono handler answering 200 in the same run. The inbox worker is not running, so the
 * figure is intake alone.
 */
export async function benchEvents(dbConfig: DbConfig, label: string, count = 6_000, concurrency = 32) {
  const { db } = await createDb(dbConfig);
  await migrateToLatest(db);
  const seed = await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const template = await db.selectFrom('onboarding_templates').select('id').executeTakeFirstOrThrow();
  const app = createApp({
    useCases: createUseCases({ db }),
    config: loadConfig({ LOG_LEVEL: 'silent', EVENTS_SECRETS: SECRET }),
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    ids: nodeIds,
    downloadSecret: seed.downloadSecret,
  });
  const service = await listen(app.fetch);
  const bodies = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `bench-${label}-${i}`,
      type: 'customer.provision',
      occurredAt: new Date().toISOString(),
      data: {
        provisioningId: template.id,
        externalId: `bench-${i}`,
        packages: ['webex_calling', 'webex_meetings'],
        address: { addressLine1: `${i} Bench Road`, city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
        customerInfo: { name: `Bench ${i}`, primaryEmail: `admin${i}@bench.example` },
        provisioningParameters: {
          calling: {
            location: {
              name: 'HQ',
              timezone: 'America/Chicago',
              address: { addressLine1: `${i} Bench Road`, city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
            },
          },
        },
      },
    }),
  );
  await drive(
    `${service.url}/v1/events`,
    bodies.slice(0, 200).map((b) => b.replace(/bench-/g, 'warm-')),
    concurrency,
    true,
  );
  const events = await drive(`${service.url}/v1/events`, bodies, concurrency, true);
  await service.close();
  await db.destroy();

  const bare = await listen(new Hono().post('/x', (c) => c.text('ok')).fetch);
  await drive(`${bare.url}/x`, bodies.slice(0, 200), concurrency, false);
  const base = await drive(`${bare.url}/x`, bodies, concurrency, false);
  await bare.close();
  console.log(
    `events intake [${label}]: ${events.perSecond.toFixed(0)} events/s, p50 ${events.p50.toFixed(1)} ms, p99 ${events.p99.toFixed(1)} ms` +
      ` (errors ${events.errors}); bare Hono: ${base.perSecond.toFixed(0)}/s, p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms; ratio ${(base.perSecond / events.perSecond).toFixed(2)}× slower than bare`,
  );
  return events;
}
