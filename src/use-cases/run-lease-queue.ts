import type { Transaction } from 'kysely';
import {
  claimDue,
  completeLeased,
  holdLeased,
  parkLeased,
  renewLease,
  renewLeases,
  retryLeased,
  type LeaseQueue,
  type LeaseQueueTable,
  type LeaseUpdate,
} from '../db/lease-queue.js';
import type { Database, Db } from '../db/schema.js';
import { backoffMs } from '../domain/backoff.js';
import { everyOn } from '../platform/timer-clock.js';
import type { Clock } from '../ports.js';
import type { Store } from './store.js';

/** What became of one claimed row, as its handler decides. */
export type LeaseOutcome<T extends LeaseQueueTable> =
  | { status: 'done'; set?: LeaseUpdate<T> }
  /** Failed this time: again after a backoff (or at `at`), or parked once the attempts are used up. */
  | { status: 'retry'; error: string; at?: Date; set?: LeaseUpdate<T> }
  /** Not possible yet (nothing failed): again at `at`, however many attempts were made. */
  | { status: 'wait'; at: Date }
  /** Failed for good. */
  | { status: 'park'; error: string; set?: LeaseUpdate<T> }
  /** Cannot succeed until a person acts (queues with a `held` status): held, the claim not counted as an attempt. */
  | { status: 'hold'; error: string };

/** What was recorded for a row: `threw` carries what the handler threw, if it did. */
export interface LeaseSettled {
  outcome: 'done' | 'retry' | 'wait' | 'parked' | 'held';
  error: string | null;
  threw?: unknown;
}

export interface LeaseQueueRun<T extends LeaseQueueTable, C extends { attempts: number }> {
  queue: LeaseQueue<T, C>;
  clock: Clock;
  leaseMs: number;
  /** How often a worker renews the leases it holds (default a third of the lease). */
  renewEveryMs?: number | undefined;
  batchSize: number;
  /** A row that fails on this attempt (or a later one) is parked instead of retried. */
  maxAttempts: number;
  backoff: { baseMs: number; capMs: number };
  random?: () => number;
  /**
   * Rows of one lane run one after another in claim order; lanes run side by side. Without it, one
   * lane: the batch runs in order.
   */
  laneOf?(row: C): string;
  /**
   * True (the default): the handler runs in a transaction that also records its outcome, so the work
   * and its outcome commit together. False: the handler gets the store and owns its transactions.
   */
  inTransaction?(row: C): boolean;
  handle(db: Transaction<Database> | Store, row: C, now: Date): Promise<LeaseOutcome<T>>;
  /** Called once the outcome is recorded (logging). */
  onSettled?(row: C, settled: LeaseSettled): void;
}

/**
 * Claims one batch of due rows and runs each through the handler, recording its outcome: done,
 * retried with backoff and jitter, waiting, or parked. A handler that throws has its transaction rolled
 * back, and the row is retried or parked with the error message. Answers how many rows were claimed.
 */
export async function runLeaseQueueBatch<T extends LeaseQueueTable, C extends { attempts: number }>(
  store: Store,
  run: LeaseQueueRun<T, C>,
): Promise<number> {
  const rows = await claimDue(store, run.queue, run.clock.now(), run.leaseMs, run.batchSize);
  if (rows.length === 0) return 0;
  const lanes = new Map<string, C[]>();
  for (const row of rows) {
    const lane = run.laneOf?.(row) ?? '';
    lanes.set(lane, [...(lanes.get(lane) ?? []), row]);
  }
  // Every row of the batch keeps its lease until it is settled, including those still waiting their
  // turn in a lane: one statement renews them all, often (a third of the lease by default), so the
  // lease can be short and a crashed instance's rows are taken over soon after it stops renewing.
  const held = new Map(rows.map((row) => [run.queue.keyOf(row), row.attempts]));
  // On the run's clock when it can repeat (a TimerClock), so tests move time instead of sleeping.
  const stopRenewal = everyOn(run.clock)(renewInterval(run), () => {
    const keys = [...held].map(([key, attempts]) => ({ key, attempts }));
    return renewLeases(store, run.queue, keys, run.clock.now(), run.leaseMs).catch(() => undefined);
  });
  try {
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const row of lane) {
          await runLeaseQueueRow(store, run, row, { renewed: true });
          held.delete(run.queue.keyOf(row));
        }
      }),
    );
  } finally {
    stopRenewal();
  }
  return rows.length;
}

const renewInterval = (run: { leaseMs: number; renewEveryMs?: number | undefined }) => run.renewEveryMs ?? run.leaseMs / 3;

/** Runs one claimed row through the handler and records its outcome (for runners that schedule rows themselves). */
export async function runLeaseQueueRow<T extends LeaseQueueTable, C extends { attempts: number }>(
  store: Store,
  run: LeaseQueueRun<T, C>,
  row: C,
  /** `renewed`: the caller renews this row's lease already (a batch renews all of its rows at once). */
  opts: { renewed?: boolean } = {},
): Promise<void> {
  const now = run.clock.now();
  // Long work (a large report) keeps its lease: renewed while the handler runs. The renewal is fenced
  // by the attempt count, so it never takes back a row that was settled or reclaimed.
  const stopRenewal = opts.renewed
    ? undefined
    : everyOn(run.clock)(renewInterval(run), () =>
        renewLease(store, run.queue, run.queue.keyOf(row), row.attempts, run.clock.now(), run.leaseMs).catch(() => undefined),
      );
  try {
    const settled =
      run.inTransaction?.(row) === false
        ? await settle(store, run, row, await run.handle(store, row, now))
        : await store.transaction().execute(async (trx) => settle(trx, run, row, await run.handle(trx, row, now)));
    run.onSettled?.(row, settled);
  } catch (threw) {
    const error = threw instanceof Error ? threw.message : String(threw);
    const settled = await settle(store, run, row, { status: 'retry', error });
    run.onSettled?.(row, { ...settled, threw });
  } finally {
    stopRenewal?.();
  }
}

async function settle<T extends LeaseQueueTable, C extends { attempts: number }>(
  db: Db,
  run: LeaseQueueRun<T, C>,
  row: C,
  outcome: LeaseOutcome<T>,
): Promise<LeaseSettled> {
  const key = run.queue.keyOf(row);
  const now = run.clock.now();
  switch (outcome.status) {
    case 'done':
      await completeLeased(db, run.queue, key, now, outcome.set);
      return { outcome: 'done', error: null };
    case 'wait':
      await retryLeased(db, run.queue, key, outcome.at, null);
      return { outcome: 'wait', error: null };
    case 'retry':
      if (row.attempts < run.maxAttempts) {
        const at = outcome.at ?? new Date(now.getTime() + backoffMs(row.attempts, (run.random ?? Math.random)(), run.backoff));
        await retryLeased(db, run.queue, key, at, outcome.error, outcome.set);
        return { outcome: 'retry', error: outcome.error };
      }
      await parkLeased(db, run.queue, key, now, outcome.error, outcome.set);
      return { outcome: 'parked', error: outcome.error };
    case 'park':
      await parkLeased(db, run.queue, key, now, outcome.error, outcome.set);
      return { outcome: 'parked', error: outcome.error };
    case 'hold':
      await holdLeased(db, run.queue, key, row.attempts, now, outcome.error);
      return { outcome: 'held', error: outcome.error };
  }
}
