import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { DbHandle } from '../../src/db/create-db.js';
import type { Database } from '../../src/db/schema.js';
import { createTaskWorker } from '../../src/jobs/task-worker.js';
import { createInboxWorker } from '../../src/jobs/inbox-worker.js';
import { createWebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { createDeliverySender } from '../../src/webhooks/post-delivery.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { seedFirstStart } from '../../src/use-cases/seed-first-start.js';
import { createSecretBox, type SecretBox } from '../../src/platform/secret-box.js';
import { createDownloadKeyring } from '../../src/use-cases/signing-keys.js';
import { createUpstream } from '../../src/webex/create-upstream.js';
import { createUseCases, type UseCases } from '../../src/use-cases/use-cases.js';
import { recordAnswers } from './answered-statuses.js';
import { TestClock } from './test-clock.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import {
  activateScreeningListVersion,
  insertScreeningEntries,
  insertScreeningListVersion,
  insertScreeningNames,
  markScreeningNamesIndexed,
  setScreeningListEntryCount,
} from '../../src/db/repositories/screening-lists.js';
import { screeningNamesOf } from '../../src/domain/compliance/screening-index.js';

export const ADMIN_TOKEN = 'wdk_test_admin_token_0123456789abcdef';

export interface TestHarness {
  app: ReturnType<typeof createApp>;
  db: Kysely<Database>;
  /** The use-case façade the app and the workers were given (built as src/start-service.ts builds it). */
  useCases: UseCases;
  clock: TestClock;
  partnerId: string;
  worker: ReturnType<typeof createTaskWorker>;
  inbox: ReturnType<typeof createInboxWorker>;
  dispatcher: ReturnType<typeof createWebhookDispatcher>;
  testDb: TestDatabase;
  /** The key download links are signed with (as stored at first start). */
  downloadSecret: string;
  /** Seals stored secrets under the harness's SECRETS_KEY (none unless `env` gives one). */
  box: SecretBox;
  /** JSON request with the admin token unless another is given. */
  call(method: string, path: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The screening list every harness starts with unless told otherwise: screening is mandatory (new
 * customers wait while no list is loaded), so suites about anything else get a loaded list, and one
 * entry no test customer comes near, rather than customers held for want of one.
 */
export const HARNESS_SCREENING_ENTRY = {
  id: 'harness-1',
  source: 'Test',
  name: 'Zyxqvor Wuplenk Kjaftrix',
  altNames: [],
  addresses: '',
  country: null,
};

/** Loads a list straight into the tables (no task, no audit): the state a suite starts from. */
async function preloadScreeningList(db: Kysely<Database>, now: Date): Promise<void> {
  const version = await insertScreeningListVersion(db, { loadedAt: now, loadedBy: 'test-harness' });
  await insertScreeningEntries(db, version.id, [HARNESS_SCREENING_ENTRY]);
  await insertScreeningNames(
    db,
    version.id,
    screeningNamesOf(HARNESS_SCREENING_ENTRY).map((n) => ({ entryId: HARNESS_SCREENING_ENTRY.id, ...n })),
  );
  await setScreeningListEntryCount(db, version.id, 1);
  await markScreeningNamesIndexed(db, version.id);
  await activateScreeningListVersion(db, version.id);
}

/** The database handle behind each harness, for a harness that shares it (`sharingDatabaseOf`). */
const handles = new WeakMap<TestHarness, { handle: DbHandle; testDb: TestDatabase }>();

/**
 * The real app on a real, fresh database, with a hand-moved clock; the worker runs only when told.
 * `screeningList: false` starts without a screening list (suites about loading one, or about what
 * happens without one).
 *
 * `sharingDatabaseOf`: a second desk (its own config, clock, app and workers) on another harness's
 * database, as a second instance started on the same database with another environment would be: for
 * a test about configuration (a token set or not, a limit) that needs no database of its own. Opening a
 * database costs about 2.5 s of CPU on PGlite; sharing one costs a start. The first-start seed runs
 * again and finds everything in place (as on every start); the screening list is the other harness's.
 * Closing it stops its workers and leaves the database to its owner.
 */
export async function createTestHarness(
  opts: { start?: string; env?: Record<string, string>; screeningList?: false; sharingDatabaseOf?: TestHarness } = {},
): Promise<TestHarness> {
  const shared = opts.sharingDatabaseOf ? handles.get(opts.sharingDatabaseOf) : undefined;
  if (opts.sharingDatabaseOf && !shared) throw new Error('sharingDatabaseOf: not a harness createTestHarness made');
  const testDb = shared?.testDb ?? (await createTestDatabase({ migrated: true }));
  const handle = shared?.handle ?? (await testDb.open());
  const clock = new TestClock(opts.start);
  // Rate limits off: suites send thousands of requests from one token; rate-limit tests turn them on.
  const config = loadConfig({
    PUBLIC_URL: 'http://desk.test',
    LOG_LEVEL: 'silent',
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    RATE_LIMIT_PER_TOKEN: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    RATE_LIMIT_EVENTS: '0',
    RATE_LIMIT_SIGN_INS: '0',
    ...opts.env,
  });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const box = createSecretBox({ current: config.SECRETS_KEY, previous: config.SECRETS_KEY_PREVIOUS });
  const seed = await seedFirstStart(handle.db, { partnerName: 'Test Partner', adminApiToken: ADMIN_TOKEN }, { clock, ids: nodeIds, box });
  if (opts.screeningList !== false && !shared) await preloadScreeningList(handle.db, clock.now());
  // Upstream mode when the env gives Webex Wholesale credentials (the fake's), standalone otherwise.
  // Built as the composition root builds it (src/start-service.ts): the edges get the façade, not the handle.
  const useCases = createUseCases({ db: handle.db });
  const upstream = createUpstream({ config, useCases, box, clock, logger });
  const worker = createTaskWorker({
    useCases,
    logger,
    clock,
    ids: nodeIds,
    pollMs: 50,
    upstream,
    screeningRequired: config.SCREENING_REQUIRED,
  });
  const inbox = createInboxWorker({
    useCases,
    logger,
    clock,
    ids: nodeIds,
    pollMs: 50,
    random: () => 0.5,
    viaWebex: Boolean(upstream),
  });
  const dispatcher = createWebhookDispatcher({
    useCases,
    logger,
    clock,
    pollMs: 50,
    random: () => 0.5,
    send: createDeliverySender({ allowedHosts: config.WEBHOOK_ALLOWED_HOSTS }),
    openSecret: (stored) => box.open(stored),
  });
  const downloadKeys = createDownloadKeyring(handle.db, box, clock);
  // Every status it answers is checked against the document after the file (declared-statuses-guard.ts).
  const app = recordAnswers(
    createApp({
      upstream,
      useCases,
      config,
      logger,
      clock,
      ids: nodeIds,
      downloadSecret: seed.downloadSecret,
      downloadKeys,
      box,
      poolStats: handle.poolStats,
    }),
  );
  const harness: TestHarness = {
    app,
    db: handle.db,
    useCases,
    clock,
    partnerId: seed.partnerId,
    worker,
    inbox,
    dispatcher,
    testDb,
    downloadSecret: seed.downloadSecret,
    box,
    call(method, path, body, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const token = o.token === undefined ? ADMIN_TOKEN : o.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      return Promise.resolve(
        app.request(path, {
          method,
          headers,
          ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        }),
      );
    },
    async close() {
      await Promise.all([worker.stop(), inbox.stop(), dispatcher.stop()]);
      if (shared) return;
      await handle.db.destroy();
      await testDb.dispose();
    },
  };
  handles.set(harness, { handle, testDb });
  return harness;
}
