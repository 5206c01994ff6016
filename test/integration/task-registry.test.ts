import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_KINDS, type TaskKind } from '../../src/contracts/task-payloads.js';
import { enqueueTask } from '../../src/use-cases/enqueue-task.js';
import { TASK_REGISTRY } from '../../src/use-cases/task-registry.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** Every task kind is one registry entry whose payload schema guards both ends of the queue. */
describe(`task registry on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness();
  });
  afterAll(() => h.close());

  const tasks = () =>
    h.db.selectFrom('tasks').select(['kind', 'entity_id', 'payload', 'status', 'attempts', 'last_error']).orderBy('id').execute();
  /** A row as an older release, or a hand, might have written it: past the enqueue check. */
  const storeRaw = (kind: string, payload: unknown) =>
    h.db
      .insertInto('tasks')
      .values({
        kind: kind as TaskKind,
        entity_id: `raw-${kind}`,
        payload: JSON.stringify(payload),
        run_after: h.clock.now(),
        created_at: h.clock.now(),
        locked_until: null,
        last_error: null,
        finished_at: null,
      })
      .execute();

  it('has one entry per task kind, each with its payload schema', () => {
    expect(Object.keys(TASK_REGISTRY).sort()).toEqual([...TASK_KINDS].sort());
  });

  it('refuses to enqueue a payload its kind does not accept, and stores nothing', async () => {
    const before = (await tasks()).length;
    // A string the type lets through, and the schema does not.
    await expect(
      enqueueTask(h.db, { kind: 'customer.delete', entityId: 'c1', payload: { effectiveAt: 'next tuesday' }, now: h.clock.now() }),
    ).rejects.toThrow(/invalid customer\.delete task payload: effectiveAt: /);
    // The type already refuses it; the schema refuses it at run time too.
    const notBoolean = { screeningCleared: 'yes' } as unknown as { screeningCleared: boolean };
    await expect(
      enqueueTask(h.db, { kind: 'customer.provision', entityId: 'c1', payload: notBoolean, now: h.clock.now() }),
    ).rejects.toThrow(/invalid customer\.provision task payload: screeningCleared: /);
    // @ts-expect-error
    await expect(enqueueTask(h.db, { kind: 'customer.explode', entityId: 'c1', now: h.clock.now() })).rejects.toThrow(
      /unknown task kind customer\.explode/,
    );
    expect(await tasks()).toHaveLength(before);
  });

  it('runs a task whose payload fits, and parks one that does not (or of an unknown kind) with the reason, untried', async () => {
    await enqueueTask(h.db, {
      kind: 'customer.delete',
      entityId: 'gone',
      payload: { effectiveAt: '2026-06-15T12:00:00.000Z' },
      now: h.clock.now(),
    });
    await storeRaw('customer.delete', { effectiveAt: 42 });
    await storeRaw('customer.provision', { screeningCleared: 'yes' });
    await storeRaw('customer.explode', {});
    expect(await h.worker.drain()).toBe(4);
    const rows = await tasks();
    expect(rows.map(({ kind, entity_id, status, attempts, last_error }) => ({ kind, entity_id, status, attempts, last_error }))).toEqual([
      { kind: 'customer.delete', entity_id: 'gone', status: 'done', attempts: 1, last_error: null },
      {
        kind: 'customer.delete',
        entity_id: 'raw-customer.delete',
        status: 'failed',
        attempts: 1,
        last_error: expect.stringMatching(/^invalid customer\.delete task payload: effectiveAt: /),
      },
      {
        kind: 'customer.provision',
        entity_id: 'raw-customer.provision',
        status: 'failed',
        attempts: 1,
        last_error: expect.stringMatching(/^invalid customer\.provision task payload: screeningCleared: /),
      },
      {
        kind: 'customer.explode',
        entity_id: 'raw-customer.explode',
        status: 'failed',
        attempts: 1,
        last_error: 'unknown task kind customer.explode',
      },
    ]);
    h.clock.advance(3_600_000);
    expect(await h.worker.drain()).toBe(0);
  });
});
