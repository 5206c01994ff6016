import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { claimWebexEventForHandling, finishWebexEvent, recordWebexEvent, takeStoredWebexEvents } from '../../src/use-cases/webex-inbox.js';
import type { WebexEvent } from '../../src/webex/verify-webex-event.js';
import type { WebexBot } from '../../src/webex/webex-bot.js';
import { createWebexEventProcessor } from '../../src/webex/webex-event-processor.js';
import { createWebexReceiver } from '../../src/webex/webex-receiver.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { createUseCases } from '../../src/use-cases/use-cases.js';

const SECRET = 'webhook-secret-0123456789';
const T0 = new Date('2026-11-30T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The Webex inbox as the receiver and the processor use it, on a real database. */
describe(`the Webex inbox on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let db: Kysely<Database>;
  const rows = () => db.selectFrom('webex_inbox').select(['key', 'status', 'handovers']).orderBy('key').execute();

  beforeAll(async () => {
    testDb = await createTestDatabase({ migrated: true });
    db = (await testDb.open()).db;
  });
  afterAll(async () => {
    await db.destroy();
    await testDb.dispose();
  });

  it('receives a signed delivery once however often Webex sends it, and nothing for a bad signature', async () => {
    const processed: WebexEvent[] = [];
    const receiver = createWebexReceiver({
      secret: SECRET,
      store: (event, own) => recordWebexEvent(db, { key: event.key, payload: event.body, own }, T0),
      botPersonId: () => 'BOT1',
      process: (e) => void processed.push(e),
    });
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
    expect((await takeStoredWebexEvents(db, { now: T0, minAgeMs: 5_000, ...policy })).map((r) => r.key)).toEqual([
      'memberships:created:WAITED',
    ]);
    expect((await takeStoredWebexEvents(db, { now: at(1), minAgeMs: 0, ...policy })).map((r) => r.key).sort()).toEqual([
      'memberships:created:FRESH',
      'memberships:created:WAITED',
    ]);
    // WAITED has now been handed over three times (once when received): it is given up.
    expect((await takeStoredWebexEvents(db, { now: at(2), minAgeMs: 0, ...policy })).map((r) => r.key)).toEqual([
      'memberships:created:FRESH',
    ]);
    expect((await rows()).filter((r) => r.key.startsWith('memberships:'))).toEqual([
      { key: 'memberships:created:FRESH', status: 'received', handovers: 3 },
      { key: 'memberships:created:OLD', status: 'done', handovers: 1 },
      { key: 'memberships:created:WAITED', status: 'done', handovers: 3 },
    ]);
    await finishWebexEvent(db, 'memberships:created:FRESH', at(3));
    expect(await takeStoredWebexEvents(db, { now: at(4), minAgeMs: 0, ...policy })).toEqual([]);
  });

  it('hands stored events to the bot one space at a time in arrival order, and finishes those no handler claims', async () => {
    const fed: string[] = [];
    let active = false;
    const bot: WebexBot = {
      get active() {
        return active;
      },
      person: { id: 'BOT1' },
      email: 'desk@webex.bot',
      start: async () => void (active = true),
      stop: async () => void (active = false),
      async feed(body) {
        const data = body.data as { id: string; roomId: string };
        // The first event of space RA is the slowest: RA's later events wait for it, RB's does not.
        await new Promise((r) => setTimeout(r, data.id === 'A1' ? 50 : 1));
        fed.push(`${data.roomId}/${data.id}`);
      },
      onMessage: () => undefined,
      onCardSubmission: () => undefined,
    };
    const unused = () => Promise.reject(new Error('not used here'));
    const processor = createWebexEventProcessor({
      bot,
      useCases: createUseCases({ db }),
      client: { createMessage: unused, downloadFile: unused },
      sends: { send: unused, idle: async () => undefined },
      log: pino({ level: 'silent' }),
      clock: { now: () => T0 },
      ids: { uuid: () => 'id', secret: () => 's' },
    });
    const event = (resource: string, id: string, roomId: string): WebexEvent => ({
      key: `${resource}:created:${id}`,
      resource,
      personId: 'P1',
      body: { resource, event: 'created', data: { id, roomId } },
    });
    const events = [
      event('memberships', 'A1', 'RA'),
      event('memberships', 'B1', 'RB'),
      event('memberships', 'A2', 'RA'),
      event('messages', 'A3', 'RA'),
    ];
    for (const e of events) await recordWebexEvent(db, { key: e.key, payload: e.body, own: false }, T0);

    processor.process(events[0]!);
    expect(fed).toEqual([]);
    await bot.start();
    for (const e of events) processor.process(e);
    await processor.stop();
    expect(fed.filter((f) => f.startsWith('RA/'))).toEqual(['RA/A1', 'RA/A2', 'RA/A3']);
    expect(fed.indexOf('RB/B1')).toBeLessThan(fed.indexOf('RA/A1'));
    // A message is done only when a handler claims it (none here). Marking the others done follows
    // their handover, which is what stop() waits for: hence the wait.
    await vi.waitFor(async () =>
      expect(
        await db
          .selectFrom('webex_inbox')
          .select(['key', 'status'])
          .where(
            'key',
            'in',
            events.map((e) => e.key),
          )
          .orderBy('key')
          .execute(),
      ).toEqual([
        { key: 'memberships:created:A1', status: 'done' },
        { key: 'memberships:created:A2', status: 'done' },
        { key: 'memberships:created:B1', status: 'done' },
        { key: 'messages:created:A3', status: 'received' },
      ]),
    );
  });
});
