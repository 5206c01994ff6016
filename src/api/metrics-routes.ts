import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Metrics } from '../platform/metrics.js';
import { hashToken } from '../platform/token-hash.js';
import { TASK_KINDS } from '../contracts/task-payloads.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { bearerToken } from './auth.js';
import { problem } from '../domain/problems.js';
import { respondProblems } from './problem-responses.js';

const sameToken = (given: string, expected: string) =>
  timingSafeEqual(Buffer.from(hashToken(given), 'hex'), Buffer.from(hashToken(expected), 'hex'));

/**
 * GET /metrics in Prometheus's text format, for the bearer of METRICS_TOKEN only (mounted only when it
 * is set). Queue depths and pool use are read at scrape time; a database that does not answer leaves
 * them out rather than failing the scrape, so the process metrics still arrive during an outage.
 */
export function createMetricsRoutes(deps: AppDeps, metrics: Metrics, metricsToken: string) {
  const app = new Hono<AppEnv>();
  app.get('/metrics', async (c) => {
    const given = bearerToken(c);
    if (!given || !sameToken(given, metricsToken))
      return respondProblems(c, [problem('unauthenticated', 'send "Authorization: Bearer <METRICS_TOKEN>"')]);
    try {
      const stats = await deps.useCases.loadQueueStats(deps.clock.now());
      for (const [queue, s] of Object.entries(stats)) {
        for (const [status, n] of Object.entries(s.counts)) metrics.queueRows.set({ queue, status }, n);
        metrics.queueDue.set({ queue }, s.due);
        metrics.queueLeased.set({ queue }, s.leased);
        metrics.queueOldestDueAge.set({ queue }, (s.oldestDueAgeMs ?? 0) / 1000);
      }
    } catch (error) {
      c.get('log').warn({ err: error }, 'metrics: queue statistics unavailable');
    }
    const upstream = deps.upstream?.status();
    if (upstream) {
      const circuit = upstream.circuit?.state;
      metrics.webexCircuit.set(circuit === 'open' ? 2 : circuit === 'half_open' ? 1 : 0);
      metrics.webexTokenRefused.set(upstream.state === 'unauthorized' ? 1 : 0);
      metrics.webexLastSuccess.set(upstream.lastSuccessAt ? Date.parse(upstream.lastSuccessAt) / 1000 : 0);
    }
    try {
      // Every kind is set, so a kind retried since the last scrape reads 0, not its old count.
      const stopped = await deps.useCases.countStoppedTasks();
      for (const kind of TASK_KINDS)
        for (const state of ['parked', 'failed'])
          metrics.tasksStopped.set({ kind, state }, stopped.find((s) => s.kind === kind && s.status === state)?.n ?? 0);
    } catch (error) {
      c.get('log').warn({ err: error }, 'metrics: stopped tasks unavailable');
    }
    const pool = deps.poolStats?.();
    if (pool) {
      metrics.dbPool.set({ state: 'total' }, pool.total);
      metrics.dbPool.set({ state: 'idle' }, pool.idle);
      metrics.dbPool.set({ state: 'waiting' }, pool.waiting);
    }
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
  });
  return app;
}
