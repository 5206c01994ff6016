import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reencryptSecrets } from '../../src/use-cases/signing-keys.js';
import { createSecretBox } from '../../src/platform/secret-box.js';
import { verifyEventRequest } from '../../src/webhooks/verify-signature.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { startReceiver } from '../support/receiver.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const KEY = randomBytes(32).toString('base64');

/** Outbound webhook secrets are signing keys: stored sealed under SECRETS_KEY, used in plain only to sign. */
describe(`webhook subscription secrets at rest on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ env: { SECRETS_KEY: KEY, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  });
  afterAll(() => h.close());

  it('stores the secret sealed, never in plain, and still signs deliveries with it; reencrypt moves it to a new key', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    try {
      const secret = 'whsec_plain_secret_0123456789abcdef';
      const created = await h.call('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['customer.status_changed'], secret });
      expect(created.status).toBe(201);
      const sub = await created.json();
      expect(sub.secret).toBe(secret);
      const stored = (await h.db.selectFrom('webhook_subscriptions').select('secret').where('id', '=', sub.id).executeTakeFirstOrThrow())
        .secret;
      expect(stored).toMatch(/^enc:v1:/);
      expect(stored).not.toContain(secret);

      expect(
        (await h.call('POST', '/v1/wholesale/customers', customerBody(await defaultTemplateId(h), { externalId: 'sealed-1' }))).status,
      ).toBe(202);
      await h.worker.drain();
      await h.dispatcher.drain();
      expect(receiver.received.length).toBeGreaterThan(0);
      for (const r of receiver.received) {
        const check = verifyEventRequest({
          signature: r.headers['webhook-signature'] as string,
          body: Buffer.from(r.body),
          secrets: [secret],
          now: Math.floor(h.clock.now().getTime() / 1000),
        });
        expect(check).toEqual({ ok: true });
      }

      const next = createSecretBox({ current: randomBytes(32).toString('base64'), previous: KEY });
      const moved = await reencryptSecrets(h.db, next);
      expect(moved.ok && moved.value.reencrypted).toBeGreaterThanOrEqual(2);
      const resealed = (await h.db.selectFrom('webhook_subscriptions').select('secret').where('id', '=', sub.id).executeTakeFirstOrThrow())
        .secret;
      expect(resealed).not.toBe(stored);
      expect(next.open(resealed)).toBe(secret);
    } finally {
      await receiver.close();
    }
  });
});
