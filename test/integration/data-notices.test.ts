import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhookAllowList } from '../../src/domain/webhook-targets.js';
import { checkWebhookTargets } from '../../src/use-cases/data-notices.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Data an older release stored under its rules (written here straight into the tables, as that
 * release left it), named with its fix on GET /v1/data-notices; webhook targets today's rules refuse
 * disabled at start and sent nothing, enabled again once the allow-list names them.
 */
describe(`data notices on ${testDbKind()}`, () => {
  let h: TestHarness;
  let customer: Body;
  let alone: Body;
  let hookId: string;
  const notices = async () => (await (await h.call('GET', '/v1/data-notices')).json()).items as Body[];
  const hooks = async () => (await (await h.call('GET', '/v1/webhooks')).json()).items as Body[];
  const deliveryCount = async (subscriptionId: string) =>
    Number(
      (
        await h.db
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('subscription_id', '=', subscriptionId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await createTestHarness();
    const templateId = await defaultTemplateId(h);
    customer = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'dn-1',
        packages: ['webex_calling', 'webex_meetings', 'attendant_console'],
        customerInfo: { name: 'Notice Dental', primaryEmail: 'it@dn.example' },
      }),
    );
    await addSubscriber(h, customer.id, 'admin@dn.example', 'webex_calling');
    alone = await addSubscriber(h, customer.id, 'alone@dn.example', 'webex_calling');
    const twin1 = await addSubscriber(h, customer.id, 'twin1@dn.example', 'webex_calling');
    const twin2 = await addSubscriber(h, customer.id, 'twin2@dn.example', 'webex_calling');
    // As the 2026-11-22 release allowed: Attendant Console as the only package, and one extension twice.
    await sql`update subscribers set package = 'attendant_console', addons = '[]'::jsonb where id = ${alone.id}`.execute(h.db);
    await sql`update subscribers set extension = '4711' where id in (${twin1.id}, ${twin2.id})`.execute(h.db);
    const created = await h.call('POST', '/v1/webhooks', {
      url: 'https://hooks.example.com/desk',
      eventTypes: ['subscriber.status_changed'],
    });
    hookId = (await created.json()).id;
    // As that release allowed: a loopback target.
    await sql`update webhook_subscriptions set url = 'http://127.0.0.1:9/desk' where id = ${hookId}`.execute(h.db);
  });
  afterAll(() => h.close());

  it('names a subscriber holding only Attendant Console, with the PUT that gives it a base package', async () => {
    const notice = (await notices()).find((n) => n.kind === 'subscriber_without_base_package');
    expect(notice).toMatchObject({
      count: 1,
      message: expect.stringContaining('1 subscriber holds only Attendant Console'),
      items: [{ id: alone.id, label: 'alone@dn.example (Notice Dental)', detail: 'attendant_console' }],
    });
    expect(notice?.fix).toBe(
      'give it a base package: PUT /v1/wholesale/subscribers/{subscriberId} {"packages":["webex_calling","attendant_console"]}',
    );
  });

  it('names subscribers sharing an extension within their customer, until one is given another', async () => {
    const notice = (await notices()).find((n) => n.kind === 'shared_extension');
    expect(notice).toMatchObject({ count: 2, items: [{ detail: 'extension 4711' }, { detail: 'extension 4711' }] });
    const fixed = await h.call('PUT', `/v1/wholesale/subscribers/${notice?.items[1].id}`, {
      packages: ['webex_calling'],
      provisioningParameters: { extension: '4712' },
    });
    expect(fixed.status, await fixed.text()).toBeLessThan(300);
    expect((await notices()).map((n) => n.kind)).not.toContain('shared_extension');
  });

  it('disables a loopback webhook target at start with the reason, cancels its pending delivery and queues no more', async () => {
    await sql`insert into webhook_deliveries (event_id, subscription_id, event_type, payload, next_attempt_at, created_at)
      values ('old-event', ${hookId}, 'subscriber.status_changed', '{}', now(), now())`.execute(h.db);
    const check = await checkWebhookTargets(h.db, parseWebhookAllowList([]));
    expect(check).toMatchObject({ disabled: [{ id: hookId, url: 'http://127.0.0.1:9/desk' }], cancelled: 1 });
    expect(await hooks()).toEqual([
      expect.objectContaining({
        id: hookId,
        status: 'disabled',
        disabledReason: expect.stringContaining('not a public address (loopback)'),
      }),
    ]);
    expect((await notices()).find((n) => n.kind === 'webhook_target_refused')).toMatchObject({ count: 1, items: [{ id: hookId }] });
    const cancelled = await h.db
      .selectFrom('webhook_deliveries')
      .select(['status', 'last_error'])
      .where('subscription_id', '=', hookId)
      .execute();
    expect(cancelled).toEqual([{ status: 'cancelled', last_error: expect.stringContaining('subscription disabled: url host 127.0.0.1') }]);
    await addSubscriber(h, customer.id, 'later@dn.example', 'webex_calling');
    expect(await deliveryCount(hookId)).toBe(1);
  });

  it('enables it again once WEBHOOK_ALLOWED_HOSTS names the host, and the notice goes', async () => {
    const check = await checkWebhookTargets(h.db, parseWebhookAllowList(['127.0.0.1']));
    expect(check).toMatchObject({ disabled: [], enabled: 1 });
    expect(await hooks()).toEqual([expect.objectContaining({ id: hookId, status: 'active', disabledReason: null })]);
    expect((await notices()).map((n) => n.kind)).not.toContain('webhook_target_refused');
    await addSubscriber(h, customer.id, 'again@dn.example', 'webex_calling');
    expect(await deliveryCount(hookId)).toBe(2);
  });
});
