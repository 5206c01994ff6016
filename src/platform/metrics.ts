import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the database pool holds right now (PostgreSQL only). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * The service's Prometheus metrics, in a registry of their own (one per app, so tests that build
 * several apps never share counts). Gauges over the database (queues, pool) are set at scrape time.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  taskDuration: Histogram<'kind' | 'outcome'>;
  digestRuns: Counter<'job' | 'outcome'>;
  queueRows: Gauge<'queue' | 'status'>;
  queueDue: Gauge<'queue'>;
  queueLeased: Gauge<'queue'>;
  queueOldestDueAge: Gauge<'queue'>;
  dbPool: Gauge<'state'>;
  /** Webex Wholesale (upstream mode, #25): calls by operation and outcome, their latency, and the connection's state. */
  webexCalls: Counter<'operation' | 'outcome'>;
  webexCallDuration: Histogram<'operation'>;
  webexCircuit: Gauge;
  webexTokenRefused: Gauge;
  webexLastSuccess: Gauge;
  tasksStopped: Gauge<'kind' | 'state'>;
}

const PREFIX = 'wholesale_desk_';

export function createMetrics(opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by method, matched route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'HTTP request latency, by method and matched route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    taskDuration: new Histogram({
      name: `${PREFIX}task_duration_seconds`,
      help: 'Background task runs, by task kind and outcome (done, wait, error)',
      labelNames: ['kind', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    digestRuns: new Counter({
      name: `${PREFIX}digest_runs_total`,
      help: 'Digest runs this instance claimed, by job and outcome (posted, failed)',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    queueRows: new Gauge({
      name: `${PREFIX}queue_rows`,
      help: 'Rows per queue (tasks, inbox, outbox) and status; failed/dead are the dead letters',
      labelNames: ['queue', 'status'],
      registers,
    }),
    queueDue: new Gauge({ name: `${PREFIX}queue_due`, help: 'Pending rows due now and not leased', labelNames: ['queue'], registers }),
    queueLeased: new Gauge({ name: `${PREFIX}queue_leased`, help: 'Pending rows under a live lease', labelNames: ['queue'], registers }),
    queueOldestDueAge: new Gauge({
      name: `${PREFIX}queue_oldest_due_age_seconds`,
      help: 'How long the oldest due row has waited (0 when none is due)',
      labelNames: ['queue'],
      registers,
    }),
    dbPool: new Gauge({
      name: `${PREFIX}db_pool_connections`,
      help: 'PostgreSQL pool connections: total, idle, and waiting requests (absent on PGlite)',
      labelNames: ['state'],
      registers,
    }),
    webexCalls: new Counter({
      name: `${PREFIX}webex_calls_total`,
      help: 'Webex Wholesale calls by operation (method and path, ids as {id}) and outcome (ok, unauthorized, refused, rate_limited, unavailable)',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    webexCallDuration: new Histogram({
      name: `${PREFIX}webex_call_duration_seconds`,
      help: 'Webex Wholesale call latency, retries and waits included, by operation',
      labelNames: ['operation'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    webexCircuit: new Gauge({
      name: `${PREFIX}webex_circuit_state`,
      help: "This instance's circuit to Webex Wholesale: 0 closed, 1 half open, 2 open",
      registers,
    }),
    webexTokenRefused: new Gauge({
      name: `${PREFIX}webex_token_refused`,
      help: 'Whether Webex Wholesale refuses the desk’s token (401/403) since its last successful call: 1 refused, 0 accepted',
      registers,
    }),
    webexLastSuccess: new Gauge({
      name: `${PREFIX}webex_last_success_timestamp_seconds`,
      help: 'When Webex Wholesale last answered a call usably (Unix time; 0 before the first)',
      registers,
    }),
    tasksStopped: new Gauge({
      name: `${PREFIX}tasks_stopped`,
      help: 'Tasks waiting for a retry, every instance: parked (held, the token refused) and failed, by kind',
      labelNames: ['kind', 'state'],
      registers,
    }),
  };
}
