import { Hono } from 'hono';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createTaskWorker } from '../src/jobs/task-worker.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { runConcurrently, seconds } from './bench-support.js';
import { createUseCases } from '../src/use-cases/use-cases.js';

const TOKEN = 'wdk_bench_token_0123456789abcdefgh';
const ADDRESS = { addressLine1: '1 Bench Way', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };

export interface ProvisioningBenchResult {
  database: string;
  customers: number;
  subscribers: number;
  ms: number;
  perSecond: number;
  baselinePerSecond: number;
}

/**
 * Provisions `subscribers` subscribers into `customers` customers through the API, in process
 * (no network), with the worker running beside it; the clock stops when every subscriber is
 * `provisioned`. The baseline is a bare Hono handler answering 200, over the same number of requests.
 */
export async function benchProvisioning(
  dbConfig: DbConfig,
  label: string,
  customers = 500,
  subscribers = 10_000,
  concurrency = 8,
): Promise<ProvisioningBenchResult> {
  const handle = await createDb(dbConfig);
  const { db } = handle;
  await migrateToLatest(db);
  const seed = await seedFirstStart(db, { partnerName: 'Bench', adminApiToken: TOKEN }, { clock: systemClock, ids: nodeIds });
  const logger = pino({ level: 'silent' });
  // No screening list in this bench: customers go through unscreened (screening has its own bench).
  const worker = createTaskWorker({
    useCases: createUseCases({ db }),
    logger,
    clock: systemClock,
    ids: nodeIds,
    pollMs: 20,
    screeningRequired: false,
  });
  const app = createApp({
    useCases: createUseCases({ db }),
    config: loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: '0' }),
    logger,
    clock: systemClock,
    ids: nodeIds,
    downloadSecret: seed.downloadSecret,
    onWorkQueued: () => worker.wake(),
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return res;
  };
  const templateId = (await (await call('GET', '/v1/wholesale/onboardingTemplates')).json()).items[0].provisioningId as string;
  worker.start();

  const customerIds: string[] = [];
  await runConcurrently(customers, concurrency, async (i) => {
    const res = await call('POST', '/v1/wholesale/customers', {
      provisioningId: templateId,
      externalId: `bench-${i}`,
      packages: ['webex_calling', 'webex_meetings'],
      address: ADDRESS,
      customerInfo: { name: `Bench Customer ${i}`, primaryEmail: `admin${i}@bench-${i}.example` },
      provisioningParameters: { calling: { location: { name: 'HQ', address: ADDRESS, timezone: 'America/Chicago' } } },
    });
    customerIds[i] = decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!);
  });
  await waitUntil(
    async () => (await db.selectFrom('customers').select('id').where('status', '=', 'provisioning').limit(1).execute()).length === 0,
  );

  const started = performance.now();
  await runConcurrently(subscribers, concurrency, async (i) => {
    const customerId = customerIds[i % customers]!;
    await call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: `user${i}@bench.example`,
      packages: [i % 3 === 0 ? 'webex_meetings' : 'webex_calling'],
      provisioningParameters: { firstName: 'Bench', lastName: `User ${i}`, extension: String(1000 + Math.floor(i / customers)) },
    });
  });
  await waitUntil(
    async () => (await db.selectFrom('subscribers').select('id').where('status', '=', 'provisioning').limit(1).execute()).length === 0,
  );
  const ms = performance.now() - started;
  await worker.stop();
  const provisioned = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'provisioned')
    .executeTakeFirstOrThrow();
  if (Number(provisioned.n) !== subscribers) throw new Error(`expected ${subscribers} provisioned subscribers, found ${provisioned.n}`);
  await db.destroy();

  const bare = new Hono().post('/x', (c) => c.json({ ok: true }));
  const baselineStart = performance.now();
  await runConcurrently(subscribers, concurrency, async () => {
    await bare.request('/x', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  });
  const baselineMs = performance.now() - baselineStart;

  const result = {
    database: label,
    customers,
    subscribers,
    ms,
    perSecond: subscribers / (ms / 1000),
    baselinePerSecond: subscribers / (baselineMs / 1000),
  };
  console.log(
    `provisioning [${label}]: ${subscribers} subscribers into ${customers} customers in ${seconds(ms)} s = ${result.perSecond.toFixed(0)}/s ` +
      `(bare Hono handler: ${result.baselinePerSecond.toFixed(0)}/s; ratio ${(result.baselinePerSecond / result.perSecond).toFixed(1)}× slower than bare)`,
  );
  return result;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the worker');
    await new Promise((r) => setTimeout(r, 50));
  }
}
