import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createTaskWorker } from '../src/jobs/task-worker.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { createSecretBox } from '../src/platform/secret-box.js';
import { systemClock } from '../src/ports.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createUpstream } from '../src/webex/create-upstream.js';
import { startFakeWebexWholesale } from '../dev/fake-webex/fake-webex-wholesale.js';
import { runConcurrently, seconds } from './bench-support.js';
import { createUseCases } from '../src/use-cases/use-cases.js';

const TOKEN = 'wdk_bench_token_0123456789abcdefgh';
const WEBEX_TOKEN = 'fake-wholesale-partner-admin-token-0001';
const ADDRESS = { addressLine1: '1 Bench Way', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
const LATENCY_MS = 150;
const LIMIT_PER_SECOND = 20;

export interface UpstreamBenchResult {
  subscribers: number;
  ms: number;
  requests: number;
  tooMany: number;
  duplicates: number;
  ratio: number;
}

/**
 * `npm run bench -- upstream`: `subscribers` subscribers (BENCH_SUBSCRIBERS, default 1,000) provisioned
 * through the fake Webex Wholesale on 127.0.0.1 (OS-chosen port) answering after 150 ms and allowing 20
 * requests a second (429 with Retry-After beyond). The service runs on the real clock, so waits and
 * retries come due as they would in production. The clock starts with the first subscriber POST to the
 * desk and stops when none is still `provisioning`. The floor is the requests needed (one a subscriber) ÷ 20/s.
 * Client tuning comes from the environment as in production (WEBEX_WHOLESALE_RATE_PER_SECOND, …).
 */
export async function benchUpstream(dbConfig: DbConfig, label: string, subscribers: number): Promise<UpstreamBenchResult> {
  const fake = await startFakeWebexWholesale({ latencyMs: LATENCY_MS, ratePerSecond: LIMIT_PER_SECOND, settleMs: 50 });
  const handle = await createDb(dbConfig);
  const { db } = handle;
  const logger = pino({ level: 'silent' });
  const worker = (() => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_TOKEN: '0',
      WEBEX_WHOLESALE_API_URL: fake.apiUrl,
      WEBEX_WHOLESALE_TOKEN: WEBEX_TOKEN,
      // Paced just under Webex's limit unless told otherwise (WEBEX_WHOLESALE_RATE_PER_SECOND=0: unpaced, 429s only).
      WEBEX_WHOLESALE_RATE_PER_SECOND: String(LIMIT_PER_SECOND - 1),
      ...pick(process.env, ['WEBEX_WHOLESALE_RATE_PER_SECOND', 'WEBEX_WHOLESALE_CONCURRENCY', 'WEBEX_WHOLESALE_TIMEOUT_MS']),
    });
    const box = createSecretBox({ current: config.SECRETS_KEY, previous: config.SECRETS_KEY_PREVIOUS });
    const upstream = createUpstream({ config, useCases: createUseCases({ db }), box, clock: systemClock, logger });
    return {
      config,
      box,
      upstream,
      worker: createTaskWorker({
        useCases: createUseCases({ db }),
        logger,
        clock: systemClock,
        ids: nodeIds,
        pollMs: 20,
        upstream,
        screeningRequired: false,
      }),
    };
  })();
  try {
    await migrateToLatest(db);
    const seed = await seedFirstStart(
      db,
      { partnerName: 'Bench', adminApiToken: TOKEN },
      { clock: systemClock, ids: nodeIds, box: worker.box },
    );
    const app = createApp({
      useCases: createUseCases({ db }),
      config: worker.config,
      logger,
      clock: systemClock,
      ids: nodeIds,
      downloadSecret: seed.downloadSecret,
      box: worker.box,
      upstream: worker.upstream,
      onWorkQueued: () => worker.worker.wake(),
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
    worker.worker.start();
    const templateId = (await (await call('GET', '/v1/wholesale/onboardingTemplates')).json()).items[0].provisioningId as string;
    const res = await call('POST', '/v1/wholesale/customers', {
      provisioningId: templateId,
      externalId: 'bench-upstream',
      packages: ['webex_calling'],
      address: ADDRESS,
      customerInfo: { name: 'Bench Upstream', primaryEmail: 'admin@bench-upstream.example' },
      provisioningParameters: { calling: { location: { name: 'HQ', address: ADDRESS, timezone: 'America/Chicago' } } },
    });
    const customerPath = new URL(res.headers.get('location')!).pathname;
    await waitUntil(async () => {
      const status = (await (await call('GET', customerPath)).json()).status as string;
      if (status !== 'provisioning') {
        if (status !== 'provisioned') throw new Error(`bench customer ended ${status}`);
        return true;
      }
      return false;
    });
    const customerId = decodeURIComponent(customerPath.split('/').pop()!);

    const requestsBefore = fake.requests.length;
    const tooManyBefore = fake.statusCounts.get(429) ?? 0;
    const started = performance.now();
    await runConcurrently(subscribers, 8, async (i) => {
      await call('POST', '/v1/wholesale/subscribers', {
        customerId,
        email: `user${i}@bench-upstream.example`,
        packages: ['webex_calling'],
        provisioningParameters: { firstName: 'Bench', lastName: `User ${i}`, extension: String(10_000 + i) },
      });
    });
    const enqueuedMs = performance.now() - started;
    await waitUntil(
      async () => (await db.selectFrom('subscribers').select('id').where('status', '=', 'provisioning').limit(1).execute()).length === 0,
    );
    const ms = performance.now() - started;
    await worker.worker.stop();

    const provisioned = await db
      .selectFrom('subscribers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'provisioned')
      .executeTakeFirstOrThrow();
    const emails = [...fake.subscribers.values()].map((s) => s.email.toLowerCase());
    const duplicates = emails.length - new Set(emails).size;
    const requests = fake.requests.length - requestsBefore;
    const tooMany = (fake.statusCounts.get(429) ?? 0) - tooManyBefore;
    // The floor: the requests needed (one POST a subscriber) at the limit's pace. 429s are not needed,
    // so they count against the time, not the floor.
    const floorMs = (subscribers / LIMIT_PER_SECOND) * 1000;
    const ratio = ms / floorMs;
    console.log(
      `upstream [${label}]: ${subscribers} subscribers through the fake Webex Wholesale (${LATENCY_MS} ms an answer, ${LIMIT_PER_SECOND} req/s; client paced at ${worker.config.WEBEX_WHOLESALE_RATE_PER_SECOND || 'off'}) in ${seconds(ms)} s; ` +
        `${Number(provisioned.n)} provisioned, ${fake.subscribers.size} in Webex; ${requests} requests sent, ${tooMany} answered 429, ${duplicates} duplicates; ` +
        `floor ${seconds(floorMs)} s (${subscribers} requests needed ÷ ${LIMIT_PER_SECOND}/s) → ${ratio.toFixed(2)}× the floor; ` +
        `the desk took them all in ${seconds(enqueuedMs)} s; departures from Cisco's document: ${fake.violations.length}`,
    );
    if (Number(provisioned.n) !== subscribers) throw new Error(`expected ${subscribers} provisioned subscribers, found ${provisioned.n}`);
    return { subscribers, ms, requests, tooMany, duplicates, ratio };
  } finally {
    await worker.worker.stop();
    await db.destroy();
    await fake.close();
  }
}

/** BENCH_SUBSCRIBERS (quick mode, e.g. 100), else 1,000. */
export function upstreamBenchSize(): number {
  const n = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
  if (!Number.isInteger(n) || n < 1) throw new Error('BENCH_SUBSCRIBERS: a positive whole number');
  return n;
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the worker');
    await new Promise((r) => setTimeout(r, 50));
  }
}
