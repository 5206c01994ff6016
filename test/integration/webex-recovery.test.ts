import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { upsertStaff } from '../../src/db/repositories/staff.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { systemClock } from '../../src/ports.js';
import type { WebexTransport } from '../../src/webex/webex-transport.js';
import { startFakeWebex, type FakeWebex } from '../support/fake-webex.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * A Webex event stored and acknowledged just before a crash is handled when the bot starts again:
 * the real framework, in process, against the Webex protocol on a local server.
 */
describe(`Webex events stored before a crash on ${testDbKind()}`, () => {
  let h: TestHarness;
  let webex: FakeWebex;
  let transport: WebexTransport | undefined;

  beforeAll(async () => {
    webex = await startFakeWebex();
    // The Webex SDK reads its base URL when it is first loaded: set it before the transport is imported.
    process.env.HYDRA_SERVICE_URL = webex.apiUrl;
    h = await createTestHarness();
    await upsertStaff(h.db, { id: nodeIds.uuid(), partnerId: h.partnerId, email: 'ops@partner.example', role: 'operator' });
  });
  afterAll(async () => {
    await transport?.stop();
    await h.close();
    await webex.close();
  });

  it('hands a stored, unhandled message to the framework at start, and runs it once', async () => {
    const { createWebexTransport } = await import('../../src/webex/webex-transport.js');
    const config = loadConfig({
      PUBLIC_URL: 'http://desk.test',
      WEBEX_BOT_TOKEN: 'fake-bot-token-0123456789',
      WEBEX_WEBHOOK_SECRET: 'webhook-secret-0123456789',
      HYDRA_SERVICE_URL: webex.apiUrl,
      LOG_LEVEL: 'silent',
    });
    const ops = webex.addPerson('ops@partner.example', 'Olga');
    const room = webex.addRoom('direct', 'Olga');
    const payload = webex.storeMessage(room, ops, 'customers');
    // What the crashed instance left: acknowledged to Webex, never handled. The webhook name is the
    // framework's own (base64 of host and bot email), as Webex echoes it.
    payload.name = Buffer.from('desk.test desk@webex.bot').toString('base64');
    const key = `messages:created:${(payload.data as { id: string }).id}`;
    await h.db
      .insertInto('webex_inbox')
      .values({ key, payload: JSON.stringify(payload), status: 'received', received_at: new Date(), handovers: 1 })
      .execute();

    transport = createWebexTransport({ config, useCases: h.useCases, log: pino({ level: 'silent' }), clock: systemClock, ids: nodeIds });
    await transport.start();
    const [reply] = await webex.waitForPosts(1);
    expect(reply!.roomId).toBe(room.id);
    expect(reply!.markdown).toBe('No customers yet. Start with `provision customer`.');
    expect(await h.db.selectFrom('webex_inbox').select('status').where('key', '=', key).executeTakeFirstOrThrow()).toEqual({
      status: 'done',
    });
    // Stopping waits for every handover and command in flight: a second run would have answered by then.
    const stopping = transport;
    transport = undefined;
    await stopping.stop();
    expect(webex.posted).toHaveLength(1);
  });
});
