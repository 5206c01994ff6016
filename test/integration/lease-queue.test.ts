import type { Transaction } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/create-db.js';
import { claimDue, queueStats, renewLease, renewLeases, replayParked } from '../../src/db/lease-queue.js';
import { inboxQueue } from '../../src/db/repositories/inbound-events.js';
import { insertTask, taskQueue, type ClaimedTask } from '../../src/db/repositories/tasks.js';
import type { Database } from '../../src/db/schema.js';
import type { Store } from '../../src/use-cases/store.js';
import { runLeaseQueueBatch } from '../../src/use-cases/run-lease-queue.js';
import { loadQueueStats } from '../../src/use-cases/queue-stats.js';
import { seedFirstStart } from '../../src/use-cases/seed-first-start.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/** The one lease queue the tasks, the inbox and the outbox share, driven directly on a real database. */
describe(`lease queue on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let handle: DbHandle;
  let clock: TestClock;
  const db = () => handle.db;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    handle = await testDb.open();
  });
  afterAll(async () => {
    await handle.db.destroy();
    await testDb.dispose();
  });
  beforeEach(async () => {
    await db().deleteFrom('tasks').execute();
    clock = new TestClock();
  });

  async function addTasks(n: number, at = clock.now()): Promise<void> {
    for (let i = 0; i < n; i += 1) await insertTask(db(), { kind: 'subscriber.provision', entityId: `e${i}`, payload: {}, now: at });
  }
  const task = (id: number) => db().selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('claims due rows oldest first, counting an attempt, and leaves rows not yet due', async () => {
    await addTasks(3, new Date(clock.now().getTime() - 1_000));
    await addTasks(3);
    await insertTask(db(), { kind: 'subscriber.provision', entityId: 'later', payload: {}, now: new Date(clock.now().getTime() + 60_000) });
    const first = await claimDue(db(), taskQueue, clock.now(), 60_000, 4);
    expect(first.map((t) => [t.entity_id, t.attempts])).toEqual([
      ['e0', 1],
      ['e1', 1],
      ['e2', 1],
      ['e0', 1],
    ]);
    expect(first.map((t) => t.id)).toEqual([...first.map((t) => t.id)].sort((x, y) => x - y));
    expect((await claimDue(db(), taskQueue, clock.now(), 60_000, 10)).map((t) => t.entity_id)).toEqual(['e1', 'e2']);
    expect(await claimDue(db(), taskQueue, clock.now(), 60_000, 10)).toEqual([]);
  });

  it('never hands a row to two claimers running side by side', async () => {
    await addTasks(6);
    const [a, b] = await Promise.all([
      claimDue(db(), taskQueue, clock.now(), 60_000, 4),
      claimDue(db(), taskQueue, clock.now(), 60_000, 4),
    ]);
    const ids = [...a!, ...b!].map((t) => t.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('skips rows another transaction holds locked instead of waiting for them', async () => {
    await addTasks(4);
    if (testDbKind() === 'pglite') {
      // One connection: transactions cannot overlap, so the claim inside one is all there is to see.
      const inside = await db()
        .transaction()
        .execute((trx) => claimDue(trx, taskQueue, clock.now(), 60_000, 2));
      expect(inside).toHaveLength(2);
      expect(await claimDue(db(), taskQueue, clock.now(), 60_000, 10)).toHaveLength(2);
      return;
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let claimedInside: number[] = [];
    let claimedInsideDone!: () => void;
    const insideDone = new Promise<void>((r) => (claimedInsideDone = r));
    const trx = db()
      .transaction()
      .execute(async (t) => {
        claimedInside = (await claimDue(t, taskQueue, clock.now(), 60_000, 2)).map((r) => r.id);
        claimedInsideDone();
        await held;
      });
    await insideDone;
    // The first claimer's transaction is still open: its rows are row-locked and their lease invisible.
    const outside = (await claimDue(db(), taskQueue, clock.now(), 60_000, 10)).map((r) => r.id);
    release();
    await trx;
    expect(claimedInside).toHaveLength(2);
    expect(outside).toHaveLength(2);
    expect(outside.filter((id) => claimedInside.includes(id))).toEqual([]);
  });

  it('makes a row due again when its lease runs out, and a renewal extends the lease', async () => {
    await addTasks(2);
    const [one, two] = await claimDue(db(), taskQueue, clock.now(), 1_000, 2);
    clock.advance(800);
    expect(await renewLease(db(), taskQueue, one!.id, one!.attempts, clock.now(), 1_000)).toBe(true);
    clock.advance(201);
    expect(await claimDue(db(), taskQueue, clock.now(), 1_000, 10)).toEqual([expect.objectContaining({ id: two!.id, attempts: 2 })]);
    // Renewed at +800 ms until +1800 ms: still held at +1601 ms, due again at +1801 ms.
    clock.advance(600);
    expect(await claimDue(db(), taskQueue, clock.now(), 1_000, 10)).toEqual([]);
    clock.advance(200);
    const again = await claimDue(db(), taskQueue, clock.now(), 1_000, 10);
    expect(again).toEqual([expect.objectContaining({ id: one!.id, attempts: 2 })]);
    // The first holder's lease was taken over: its renewal is refused, the new holder's is not.
    expect(await renewLease(db(), taskQueue, one!.id, 1, clock.now(), 1_000)).toBe(false);
    expect(await renewLease(db(), taskQueue, one!.id, 2, clock.now(), 1_000)).toBe(true);
  });

  const failing = (maxAttempts: number) => ({
    queue: taskQueue,
    clock,
    leaseMs: 60_000,
    batchSize: 10,
    maxAttempts,
    backoff: { baseMs: 1_000, capMs: 60_000 },
    random: () => 0.5,
    handle: async (): Promise<never> => {
      throw new Error('upstream said no');
    },
  });

  it('retries a failed row after a backoff with jitter, then parks it once the attempts are used up', async () => {
    await addTasks(1);
    const [row] = await db().selectFrom('tasks').select('id').execute();
    const t0 = clock.now().getTime();
    expect(await runLeaseQueueBatch(db(), { ...failing(3), clock })).toBe(1);
    let t = await task(row!.id);
    // Attempt 1: a 1 s step, half fixed and half jittered (random 0.5) = 750 ms.
    expect(t).toMatchObject({ status: 'pending', attempts: 1, last_error: 'upstream said no', locked_until: null, finished_at: null });
    expect(t.run_after.getTime()).toBe(t0 + 750);
    expect(await runLeaseQueueBatch(db(), { ...failing(3), clock })).toBe(0);
    clock.advance(750);
    await runLeaseQueueBatch(db(), { ...failing(3), clock });
    t = await task(row!.id);
    // Attempt 2: a 2 s step = 1500 ms.
    expect(t.run_after.getTime()).toBe(clock.now().getTime() + 1_500);
    clock.advance(1_500);
    await runLeaseQueueBatch(db(), { ...failing(3), clock });
    t = await task(row!.id);
    expect(t).toMatchObject({ status: 'failed', attempts: 3, last_error: 'upstream said no', locked_until: null });
    expect(t.finished_at?.getTime()).toBe(clock.now().getTime());
    clock.advance(3_600_000);
    expect(await runLeaseQueueBatch(db(), { ...failing(3), clock })).toBe(0);
  });

  it('commits the work and its outcome together, and rolls the work back when the handler throws', async () => {
    await addTasks(2);
    const run = {
      ...failing(8),
      clock,
      handle: async (trx: Transaction<Database> | Store, row: ClaimedTask) => {
        await trx
          .updateTable('tasks')
          .set({ entity_id: `${row.entity_id}-touched` })
          .where('id', '=', row.id)
          .execute();
        if (row.entity_id === 'e1') throw new Error('half done');
        return { status: 'done' as const };
      },
    };
    await runLeaseQueueBatch(db(), run);
    const rows = await db().selectFrom('tasks').select(['entity_id', 'status', 'last_error']).orderBy('id').execute();
    expect(rows).toEqual([
      { entity_id: 'e0-touched', status: 'done', last_error: null },
      { entity_id: 'e1', status: 'pending', last_error: 'half done' },
    ]);
  });

  it('replays a parked row as pending with a fresh count of attempts, and only a parked one', async () => {
    await addTasks(2);
    await runLeaseQueueBatch(db(), { ...failing(1), clock });
    const ids = (await db().selectFrom('tasks').select('id').orderBy('id').execute()).map((r) => r.id);
    clock.advance(10_000);
    expect(await replayParked(db(), taskQueue, { id: ids[0]! }, clock.now())).toBe(1);
    expect(await task(ids[0]!)).toMatchObject({
      status: 'pending',
      attempts: 0,
      run_after: clock.now(),
      locked_until: null,
      finished_at: null,
    });
    expect(await replayParked(db(), taskQueue, { id: ids[0]! }, clock.now())).toBe(0);
    expect(await claimDue(db(), taskQueue, clock.now(), 60_000, 10)).toEqual([expect.objectContaining({ id: ids[0], attempts: 1 })]);
  });

  it('counts rows by status and says how long the oldest due row has waited', async () => {
    expect(await queueStats(db(), taskQueue, clock.now())).toEqual({
      counts: { pending: 0, done: 0, failed: 0, parked: 0 },
      due: 0,
      leased: 0,
      oldestDueAgeMs: null,
    });
    await addTasks(2, new Date(clock.now().getTime() - 30_000));
    await addTasks(3);
    await insertTask(db(), { kind: 'subscriber.provision', entityId: 'later', payload: {}, now: new Date(clock.now().getTime() + 60_000) });
    await runLeaseQueueBatch(db(), { ...failing(1), clock, batchSize: 1 });
    await runLeaseQueueBatch(db(), { ...failing(8), clock, batchSize: 1, handle: async () => ({ status: 'done' as const }) });
    await claimDue(db(), taskQueue, clock.now(), 60_000, 1);
    clock.advance(5_000);
    expect(await queueStats(db(), taskQueue, clock.now())).toEqual({
      counts: { pending: 4, done: 1, failed: 1, parked: 0 },
      due: 2,
      leased: 1,
      oldestDueAgeMs: 5_000,
    });
  });

  it('keeps the lease of a row whose work outlasts it', async () => {
    await addTasks(1);
    let claimedMeanwhile: unknown[] | undefined;
    await runLeaseQueueBatch(db(), {
      ...failing(8),
      clock,
      leaseMs: 300,
      inTransaction: () => false,
      handle: async (store) => {
        // 700 ms of work on the test clock, each renewal (every 100 ms) written before time moves on.
        for (let i = 0; i < 7; i += 1) await clock.tick(100);
        claimedMeanwhile = await claimDue(store, taskQueue, clock.now(), 300, 10);
        return { status: 'done' as const };
      },
    });
    expect(claimedMeanwhile).toEqual([]);
    expect(await db().selectFrom('tasks').select(['status', 'attempts']).execute()).toEqual([{ status: 'done', attempts: 1 }]);
  });

  it('keeps the leases of a batch’s rows still waiting their turn while an earlier row runs long', async () => {
    await addTasks(3);
    let claimedMeanwhile: unknown[] | undefined;
    const ran: string[] = [];
    await runLeaseQueueBatch(db(), {
      ...failing(8),
      clock,
      leaseMs: 300,
      renewEveryMs: 100,
      inTransaction: () => false,
      // One lane: the second and third rows wait for the first.
      laneOf: () => 'one',
      handle: async (store, row) => {
        ran.push(row.entity_id);
        if (ran.length === 1) {
          for (let i = 0; i < 7; i += 1) await clock.tick(100);
          claimedMeanwhile = await claimDue(store, taskQueue, clock.now(), 300, 10);
        }
        return { status: 'done' as const };
      },
    });
    expect(claimedMeanwhile).toEqual([]);
    expect(ran).toEqual(['e0', 'e1', 'e2']);
    expect(await db().selectFrom('tasks').select(['status', 'attempts']).execute()).toEqual([
      { status: 'done', attempts: 1 },
      { status: 'done', attempts: 1 },
      { status: 'done', attempts: 1 },
    ]);
  });

  it('renews many leases in one statement, each fenced by its attempt count', async () => {
    await addTasks(3);
    const claimed = await claimDue(db(), taskQueue, clock.now(), 1_000, 10);
    const held = claimed.map((t) => ({ key: t.id, attempts: t.attempts }));
    // The third was taken over by another claimer meanwhile (one more attempt): not renewed.
    held[2] = { key: claimed[2]!.id, attempts: 7 };
    clock.advance(500);
    expect(await renewLeases(db(), taskQueue, held, clock.now(), 1_000)).toBe(2);
    clock.advance(700);
    expect((await claimDue(db(), taskQueue, clock.now(), 1_000, 10)).map((t) => t.id)).toEqual([claimed[2]!.id]);
  });

  it('reports the three queues side by side', async () => {
    await addTasks(2);
    const stats = await loadQueueStats(db(), clock.now());
    expect(stats.tasks).toMatchObject({ counts: { pending: 2, done: 0, failed: 0 }, due: 2, oldestDueAgeMs: 0 });
    expect(stats.outbox.counts).toEqual({ pending: 0, delivered: 0, dead: 0 });
    expect(stats.inbox.counts).toMatchObject({ pending: 0, done: 0, failed: 0 });
  });

  it('keeps the inbox to one pending event per ordering key, earliest first, and replays by id', async () => {
    const seed = await seedFirstStart(db(), { partnerName: 'Queue Partner' }, { clock, ids: nodeIds });
    const event = (id: string, key: string, secondsFromNow: number) =>
      db()
        .insertInto('inbound_events')
        .values({
          id,
          type: 'customer.delete',
          occurred_at: new Date(clock.now().getTime() + secondsFromNow * 1000),
          data: '{}',
          ordering_key: key,
          partner_id: seed.partnerId,
          run_after: clock.now(),
          locked_until: null,
          last_error: null,
          result: null,
          received_at: clock.now(),
          finished_at: null,
        })
        .execute();
    await event('a2', 'a', -1);
    await event('a1', 'a', -2);
    await event('b1', 'b', -3);
    const claimed = await claimDue(db(), inboxQueue, clock.now(), 60_000, 10);
    expect(claimed.map((e) => e.id).sort()).toEqual(['a1', 'b1']);
    expect(await claimDue(db(), inboxQueue, clock.now(), 60_000, 10)).toEqual([]);
    const logger = pino({ level: 'silent' });
    clock.advance(61_000);
    await runLeaseQueueBatch(db(), { ...failing(1), clock, queue: inboxQueue, onSettled: () => logger.info('settled') });
    expect(
      (await db().selectFrom('inbound_events').select(['id', 'status']).orderBy('id').execute()).map((e) => `${e.id}:${e.status}`),
    ).toEqual(['a1:failed', 'a2:pending', 'b1:failed']);
    expect(await replayParked(db(), inboxQueue, { id: 'a1', partner_id: 'someone else' }, clock.now())).toBe(0);
    expect(await replayParked(db(), inboxQueue, { id: 'a1', partner_id: seed.partnerId }, clock.now())).toBe(1);
    expect((await claimDue(db(), inboxQueue, clock.now(), 60_000, 10)).map((e) => e.id)).toEqual(['a1']);
  });
});
