import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { claimWebexEventForHandling, finishWebexEvent, recordWebexEvent, takeStoredWebexEvents } from '../../src/use-cases/webex-inbox.js';
import type { WebexEvent } from '../../src/webex/verify-webex-event.js';
import { createWebexReceiver } from '../../src/webex/webex-receiver.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

const SECRET = 'webhook-secret-0123456789';
const T0 = new Date('2026-11-30T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The Webex inbox as the receiver and the processor use it, on a real database. */
describe(`the Webex inbox on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let db: Kysely<Database>;
  const rows = () => db.selectFrom('webex_inbox').select(['key', 'status', 'handovers']).orderBy('key').execute();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = (await testDb.open()).db;
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.dispose();
  });

  it('receives a signed delivery once however often Webex sends it, and nothing for a bad signature', async () => {
    const processed: WebexEvent[] = [];
    const receiver = createWebexReceiver({ secret: SECRET, store: (event, own) => recordWebexEvent(db, { key: event.key, payload: event.body, own }, T0), botPersonId: () => 'BOT1', process: (e) => void processed.push(e) });
    const log = pino({ level: 'silent' });
    const deliver = (data: Record<string, unknown>, secret = SECRET) => {
      const raw = new TextEncoder().encode(JSON.stringify({ id: 'HOOK1', name: 'desk', resource: 'messages', event: 'created', data }));
      return receiver.receive({ raw, signature: createHmac('sha1', secret).update(raw).digest('hex'), log });
    };
    expect((await deliver({ id: 'BAD', roomId: 'R1' }, 'not-the-secret-at-all')).ok).toBe(false);
    expect(await deliver({ id: 'M1', roomId: 'R1', personId: 'P1' })).toEqual({ ok: true });
    expect(await deliver({ id: 'M1', roomId: 'R1', personId: 'P1' })).toEqual({ ok: true });
    expect(await deliver({ id: 'OWN', roomId: 'R1', personId: 'BOT1' })).toEqual({ ok: true });
    expect(await rows()).toEqual([
      { key: 'messages:created:M1', status: 'received', handovers: 1 },
      { key: 'messages:created:OWN', status: 'done', handovers: 0 },
    ]);
    expect(processed.map((e) => e.key)).toEqual(['messages:created:M1']);
    const stored = await db.selectFrom('webex_inbox').select('payload').where('key', '=', 'messages:created:M1').executeTakeFirstOrThrow();
    expect(stored.payload).toMatchObject({ resource: 'messages', data: { id: 'M1', personId: 'P1' } });
  });

  it('lets the first handler claim an event, and records a websocket event on its claim', async () => {
    expect(await claimWebexEventForHandling(db, { key: 'messages:created:M1', payload: { id: 'M1' } }, T0)).toBe(true);
    expect(await claimWebexEventForHandling(db, { key: 'messages:created:M1', payload: { id: 'M1' } }, T0)).toBe(false);
    expect(await claimWebexEventForHandling(db, { key: 'messages:created:WS1', payload: { id: 'WS1' } }, T0)).toBe(true);
    expect(await claimWebexEventForHandling(db, { key: 'messages:created:WS1', payload: { id: 'WS1' } }, T0)).toBe(false);
    expect((await rows()).filter((r) => r.key.endsWith('M1') || r.key.endsWith('WS1'))).toEqual([
      { key: 'messages:created:M1', status: 'done', handovers: 1 },
      { key: 'messages:created:WS1', status: 'done', handovers: 0 },
    ]);
  });

  it('hands over again only what waited long enough, and gives up past the window or the handover limit', async () => {
    const store = (key: string, receivedMs: number) => recordWebexEvent(db, { key, payload: { key }, own: false }, at(receivedMs));
    await store('memberships:created:OLD', -61 * 60_000);
    await store('memberships:created:FRESH', 0);
    await store('memberships:created:WAITED', -10_000);
    const policy = { recoveryWindowMs: 60 * 60_000, maxHandovers: 3 };
    expect((await takeStoredWebexEvents(db, { now: T0, minAgeMs: 5_000, ...policy })).map((r) => r.key)).toEqual(['memberships:created:WAITED']);
    expect((await takeStoredWebexEvents(db, { now: at(1), minAgeMs: 0, ...policy })).map((r) => r.key).sort()).toEqual(['memberships:created:FRESH', 'memberships:created:WAITED']);
    // WAITED has now been handed over three times (once when received): it is given up.
    expect((await takeStoredWebexEvents(db, { now: at(2), minAgeMs: 0, ...policy })).map((r) => r.key)).toEqual(['memberships:created:FRESH']);
    expect((await rows()).filter((r) => r.key.startsWith('memberships:'))).toEqual([
      { key: 'memberships:created:FRESH', status: 'received', handovers: 3 },
      { key: 'memberships:created:OLD', status: 'done', handovers: 1 },
      { key: 'memberships:created:WAITED', status: 'done', handovers: 3 },
    ]);
    await finishWebexEvent(db, 'memberships:created:FRESH', at(3));
    expect(await takeStoredWebexEvents(db, { now: at(4), minAgeMs: 0, ...policy })).toEqual([]);
  });
});
