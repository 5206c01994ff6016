import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import { signEvent } from '../../src/webhooks/verify-signature.js';
import { customerBody } from '../support/api-fixtures.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { startTcpProxy, type TcpProxy, waitUntilHeldSessionsEnded } from '../support/tcp-proxy.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

const TOKEN = 'wdk_outage_test_admin_token_0123456789';
const EVENTS_SECRET = 'outage-test-events-secret-0123456789';
const STATEMENT_TIMEOUT_MS = 1_000;
/** The client-side read timeout in src/db/create-db.ts: the server gets this long to cancel first. */
const READ_MARGIN_MS = 2_000;
const CUT_MS = 10_000;

type Kind = 'customer' | 'subscriber' | 'event' | 'chat';
interface Outcome {
  kind: Kind;
  key: string;
  status: number | 'no-answer';
  retryAfter: string | null;
  phase: string;
  ms: number;
}

/**
 * The service started as a user starts it, its database behind a TCP proxy the test controls: a
 * 10 s cut during mixed traffic (API writes, signed events, chat), then a freeze. PostgreSQL only
 * (PGlite has no network between the service and its data).
 */
describe.runIf(testDbKind() === 'postgres')('the service through a database outage on postgres', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let service: SpawnedService;
  let customerId: string;
  let provisioningId: string;
  const outcomes: Outcome[] = [];
  let phase = 'warm';
  let seq = 0;

  const api = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });

  /** One request of the given kind with keys no other request uses; its answer is recorded. */
  async function send(kind: Kind): Promise<Outcome> {
    const i = ++seq;
    const at = phase;
    const started = Date.now();
    let key = '';
    let request: Promise<Response>;
    if (kind === 'customer') {
      key = `out-c-${i}`;
      request = api(
        'POST',
        '/v1/wholesale/customers',
        customerBody(provisioningId, { externalId: key, customerInfo: { name: `Outage ${i}`, primaryEmail: `admin${i}@outage.example` } }),
      );
    } else if (kind === 'subscriber') {
      key = `sub${i}@outage.example`;
      request = api('POST', '/v1/wholesale/subscribers', {
        customerId,
        email: key,
        packages: ['webex_meetings'],
        provisioningParameters: { firstName: 'Out', lastName: `Age${i}`, extension: String(2000 + i) },
      });
    } else if (kind === 'event') {
      key = `out-e-${i}`;
      const raw = JSON.stringify({
        id: key,
        type: 'customer.provision',
        occurredAt: new Date().toISOString(),
        data: {
          provisioningId,
          externalId: key,
          packages: ['webex_meetings'],
          address: { addressLine1: `${i} Outage Road`, city: 'London', country: 'GB' },
          customerInfo: { name: `Event ${i}`, primaryEmail: `event${i}@outage.example` },
        },
      });
      request = fetch(`${service.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-signature': signEvent(raw, EVENTS_SECRET, Math.floor(Date.now() / 1000)) },
        body: raw,
        signal: AbortSignal.timeout(20_000),
      });
    } else {
      key = `chat-${i}`;
      request = api('POST', '/v1/console/messages', { text: 'customers' });
    }
    let outcome: Outcome;
    try {
      const res = await request;
      await res.arrayBuffer();
      outcome = { kind, key, status: res.status, retryAfter: res.headers.get('retry-after'), phase: at, ms: Date.now() - started };
    } catch {
      outcome = { kind, key, status: 'no-answer', retryAfter: null, phase: at, ms: Date.now() - started };
    }
    outcomes.push(outcome);
    return outcome;
  }

  /** `loops` clients, each sending one request after another (kinds in turn) until `until`. */
  async function traffic(loops: number, until: () => boolean): Promise<void> {
    const kinds: Kind[] = ['customer', 'subscriber', 'event', 'chat'];
    await Promise.all(
      Array.from({ length: loops }, async (_, loop) => {
        for (let n = 0; n < 2_000 && !until(); n += 1) {
          const o = await send(kinds[(n + loop) % kinds.length] as Kind);
          // A client that was refused waits a little, as Retry-After asks (shortened: the test has 10 s).
          if (o.status === 503 || o.status === 'no-answer') await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );
  }

  const alive = () => service.child.exitCode === null && service.child.signalCode === null;
  const summary = (list: Outcome[]) => {
    const counts: Record<string, number> = {};
    for (const o of list) counts[`${o.phase}:${o.kind}:${o.status}`] = (counts[`${o.phase}:${o.kind}:${o.status}`] ?? 0) + 1;
    return JSON.stringify(counts);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const direct = new URL(testDb.url as string);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    service = spawnService({
      DATABASE_URL: viaProxy.toString(),
      ADMIN_API_TOKEN: TOKEN,
      EVENTS_SECRETS: EVENTS_SECRET,
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_CONNECT_TIMEOUT_MS: '1000',
      WORKER_POLL_MS: '100',
    });
    await waitForStatus(service, '/readyz');
    provisioningId = (await (await api('GET', '/v1/wholesale/onboardingTemplates')).json()).items[0].provisioningId;
    const created = await api('POST', '/v1/wholesale/customers', customerBody(provisioningId, { externalId: 'outage-base' }));
    expect(created.status, await created.clone().text()).toBe(202);
    const location = new URL(created.headers.get('location') as string).pathname;
    for (let n = 0; n < 300; n += 1) {
      const c = await (await api('GET', location)).json();
      if (c.status === 'provisioned') {
        customerId = c.id;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(customerId, 'the base customer was provisioned').toBeTruthy();
  });
  afterAll(async () => {
    await killLeftoverServices();
    await proxy?.close();
    await testDb?.dispose();
  });

  it('stays up through a 10 s cut, answers 503 with Retry-After, recovers within 5 s, and keeps every acknowledged write exactly once', async () => {
    phase = 'warm';
    const warmUntil = Date.now() + 1_500;
    await traffic(4, () => Date.now() > warmUntil);

    phase = 'cut';
    const logBefore = service.output().length;
    proxy.cut();
    const cutUntil = Date.now() + CUT_MS;
    await traffic(4, () => Date.now() > cutUntil);
    expect(alive(), service.output().slice(-3000)).toBe(true);

    const cutLog = service.output().slice(logBefore).split('\n').filter(Boolean);
    proxy.restore();
    phase = 'recovery';
    const restoredAt = Date.now();
    let recoveredAt = 0;
    for (let n = 0; n < 100 && !recoveredAt; n += 1) {
      const ready = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (ready === 200 && (await send('customer')).status === 202) recoveredAt = Date.now();
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(recoveredAt, 'recovered at all').toBeGreaterThan(0);
    expect(recoveredAt - restoredAt, 'ms from the database returning to a /readyz 200 and an accepted write').toBeLessThan(5_000);
    phase = 'after';
    const afterUntil = Date.now() + 1_500;
    await traffic(4, () => Date.now() > afterUntil);
    expect(alive()).toBe(true);

    const during = outcomes.filter((o) => o.phase === 'cut');
    const refused = during.filter((o) => o.status === 503);
    expect(refused.length, summary(outcomes)).toBeGreaterThan(0);
    for (const o of outcomes.filter((x) => x.status === 503)) expect(o.retryAfter, `${o.kind} ${o.key}`).toMatch(/^\d+$/);
    // Nothing but success or 503: no 500 from a database error, no request left hanging.
    // (429: a rate limit, should one apply to this traffic, is a refusal too, never a failure.)
    for (const o of outcomes) expect([200, 202, 429, 503], `${o.phase} ${o.kind} ${o.key}: ${summary(outcomes)}`).toContain(o.status);
    for (const o of outcomes.filter((x) => x.phase !== 'cut')) {
      if (o.phase !== 'recovery') expect(o.status, `${o.phase} ${o.kind} ${o.key}`).not.toBe(503);
    }
    for (const o of outcomes.filter((x) => x.status === 429)) {
      expect(o.retryAfter, `${o.kind} ${o.key}`).toMatch(/^\d+$/);
    }
    const byMessage: Record<string, number> = {};
    for (const line of cutLog) {
      const msg = line.startsWith('{') ? String((JSON.parse(line) as { msg?: unknown }).msg) : line.slice(0, 60);
      byMessage[msg] = (byMessage[msg] ?? 0) + 1;
    }
    // The background pollers back off and log the outage once, not every poll (194 lines in 10 s before).
    const pollerLines = cutLog.filter((line) => /"component":/.test(line)).length;
    expect(pollerLines, JSON.stringify(byMessage)).toBeLessThanOrEqual(12);
    console.info(
      `outage traffic: ${during.length} requests during the cut, ${refused.length} answered 503; ${summary(outcomes)}; ${cutLog.length} log lines during the cut: ${JSON.stringify(byMessage)}`,
    );

    // Every acknowledged write is there exactly once, read through a connection of the test's own.
    const direct = await createDb({ DATABASE_URL: testDb.url, DATA_DIR: 'unused' });
    try {
      const count = (values: string[]) => {
        const m = new Map<string, number>();
        for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
        return m;
      };
      const customers = count((await direct.db.selectFrom('customers').select('external_id').execute()).map((r) => r.external_id));
      const subscribers = count((await direct.db.selectFrom('subscribers').select('email').execute()).map((r) => r.email));
      const events = count((await direct.db.selectFrom('inbound_events').select('id').execute()).map((r) => r.id));
      const acked = outcomes.filter((o) => o.status === 200 || o.status === 202);
      expect(acked.filter((o) => o.phase === 'cut').length + acked.length).toBeGreaterThan(20);
      for (const o of acked) {
        if (o.kind === 'customer') expect(customers.get(o.key), o.key).toBe(1);
        if (o.kind === 'subscriber') expect(subscribers.get(o.key), o.key).toBe(1);
        if (o.kind === 'event') expect(events.get(o.key), o.key).toBe(1);
      }
      for (const [key, n] of [...customers, ...subscribers, ...events]) expect(n, key).toBe(1);
    } finally {
      await direct.db.destroy();
    }
  });

  it('answers 503 within the statement timeout while the database is frozen, and nothing it refused commits later', async () => {
    await waitForStatus(service, '/readyz');
    phase = 'freeze';
    proxy.freeze();
    const frozen: Outcome[] = [];
    try {
      await Promise.all(
        (['customer', 'subscriber', 'event', 'customer'] as Kind[]).map(async (kind) => {
          frozen.push(await send(kind));
        }),
      );
    } finally {
      proxy.restore();
    }
    for (const o of frozen) {
      expect(o.status, `${o.kind} ${o.key}`).toBe(503);
      expect(o.retryAfter).toMatch(/^\d+$/);
      // Connect timeout (1 s) or statement timeout + read margin, and scheduling slack on a busy machine.
      expect(o.ms, `${o.kind} ${o.key}`).toBeLessThan(STATEMENT_TIMEOUT_MS + READ_MARGIN_MS + 2_000);
    }
    await waitForStatus(service, '/readyz', 200, 10_000);
    const direct = await createDb({ DATABASE_URL: testDb.url, DATA_DIR: 'unused' });
    try {
      // Anything held back has had its chance once the server ended the sessions the freeze held.
      await waitUntilHeldSessionsEnded(proxy, direct.db);
      expect(alive()).toBe(true);
      for (const o of frozen) {
        const found =
          o.kind === 'customer'
            ? await direct.db.selectFrom('customers').select('id').where('external_id', '=', o.key).execute()
            : o.kind === 'subscriber'
              ? await direct.db.selectFrom('subscribers').select('id').where('email', '=', o.key).execute()
              : await direct.db.selectFrom('inbound_events').select('id').where('id', '=', o.key).execute();
        expect(found, `${o.kind} ${o.key} answered 503 yet committed`).toHaveLength(0);
      }
    } finally {
      await direct.db.destroy();
    }
  });
});
