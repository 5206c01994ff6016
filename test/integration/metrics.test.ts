import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTaskWorker } from '../../src/jobs/task-worker.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample line, `name{labels} value`, or undefined when the line is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(/,(?=\w+=")/).filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(match[3]);
  }
  return undefined;
}

describe(`GET /metrics on ${testDbKind()}`, () => {
  /** The file's database: each test starts its own desk on it (its own config, app and metrics registry). */
  let base: TestHarness;
  let h: TestHarness | undefined;
  beforeAll(async () => {
    base = await createTestHarness();
  });
  afterAll(() => base?.close());
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const scrape = async (harness: TestHarness) => {
    const res = await harness.call('GET', '/metrics', undefined, { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts requests per route pattern and reports queue depths read at scrape time', async () => {
    h = await createTestHarness({ env: { METRICS_TOKEN }, sharingDatabaseOf: base });
    const before = await scrape(h);
    expect(sample(before, 'wholesale_desk_http_requests_total', { method: 'GET', route: '/v1/wholesale/customers', status: '200' })).toBe(
      undefined,
    );
    for (let i = 0; i < 3; i++) expect((await h.call('GET', '/v1/wholesale/customers')).status).toBe(200);
    const templateId = await defaultTemplateId(h);
    for (let i = 0; i < 2; i++) expect((await h.call('POST', '/v1/wholesale/customers', customerBody(templateId))).status).toBe(202);
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await h.call('GET', `/v1/wholesale/customers/${id}`)).status).toBe(404);

    const text = await scrape(h);
    expect(sample(text, 'wholesale_desk_http_requests_total', { method: 'GET', route: '/v1/wholesale/customers', status: '200' })).toBe(3);
    expect(sample(text, 'wholesale_desk_http_requests_total', { method: 'POST', route: '/v1/wholesale/customers', status: '202' })).toBe(2);
    expect(
      sample(text, 'wholesale_desk_http_requests_total', { method: 'GET', route: '/v1/wholesale/customers/:customerId', status: '404' }),
    ).toBe(1);
    expect(text).not.toContain(id);
    expect(sample(text, 'wholesale_desk_http_request_duration_seconds_count', { method: 'GET', route: '/v1/wholesale/customers' })).toBe(3);
    expect(
      sample(text, 'wholesale_desk_http_request_duration_seconds_sum', { method: 'GET', route: '/v1/wholesale/customers' }),
    ).toBeGreaterThan(0);

    const pending = await h.db.selectFrom('tasks').select('id').where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    expect(sample(text, 'wholesale_desk_queue_rows', { queue: 'tasks', status: 'pending' })).toBe(pending.length);
    expect(sample(text, 'wholesale_desk_queue_due', { queue: 'tasks' })).toBe(pending.length);
    expect(sample(text, 'wholesale_desk_queue_rows', { queue: 'inbox', status: 'pending' })).toBe(0);
    expect(sample(text, 'wholesale_desk_queue_rows', { queue: 'outbox', status: 'pending' })).toBe(0);
    expect(sample(text, 'wholesale_desk_queue_oldest_due_age_seconds', { queue: 'tasks' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    if (testDbKind() === 'postgres') {
      expect(sample(text, 'wholesale_desk_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
      expect(sample(text, 'wholesale_desk_db_pool_connections', { state: 'waiting' })).toBe(0);
    } else expect(text).not.toContain('wholesale_desk_db_pool_connections{');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('records task durations per kind when the worker runs with metrics', async () => {
    h = await createTestHarness({ sharingDatabaseOf: base });
    const metrics = createMetrics({ processMetrics: false });
    const worker = createTaskWorker({
      useCases: h.useCases,
      logger: pino({ level: 'silent' }),
      clock: h.clock,
      ids: nodeIds,
      pollMs: 50,
      metrics,
    });
    const templateId = await defaultTemplateId(h);
    expect((await h.call('POST', '/v1/wholesale/customers', customerBody(templateId))).status).toBe(202);
    await worker.drain();
    const text = await metrics.registry.metrics();
    const runs = text.split('\n').filter((l) => l.startsWith('wholesale_desk_task_duration_seconds_count{'));
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.some((l) => /kind="[\w.]+"/.test(l) && /outcome="(done|wait)"/.test(l))).toBe(true);
  });

  it('refuses a scrape without the metrics token (401), and is off (404) without METRICS_TOKEN', async () => {
    h = await createTestHarness({ env: { METRICS_TOKEN }, sharingDatabaseOf: base });
    expect((await h.call('GET', '/metrics', undefined, { token: null })).status).toBe(401);
    expect((await h.call('GET', '/metrics')).status).toBe(401);
    expect((await h.call('GET', '/metrics', undefined, { token: `${METRICS_TOKEN}x` })).status).toBe(401);
    await h.close();
    h = await createTestHarness({ sharingDatabaseOf: base });
    expect((await h.call('GET', '/metrics', undefined, { token: METRICS_TOKEN })).status).toBe(404);
  });
});
