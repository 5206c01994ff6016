import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_EVENT_SCHEMAS } from '../../src/contracts/webhook-subscriptions.js';
import { moveCustomer } from '../../src/use-cases/move-customer.js';
import { moveSubscriber } from '../../src/use-cases/move-subscriber.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** What a move leaves behind: the row, the queued events and the audit trail. */
describe(`status transitions (moveCustomer, moveSubscriber) on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;
  const deps = () => ({ now: h.clock.now(), uuid: randomUUID });
  const customerRow = (id: string) => h.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const subscriberRow = (id: string) => h.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const deliveries = () => h.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).orderBy('id').execute();
  const auditOf = (id: string) => h.db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).orderBy('id').execute();
  const newCustomer = async () => {
    seq += 1;
    return provisionCustomer(
      h,
      customerBody(templateId, { externalId: `move-${seq}`, customerInfo: { name: `Move ${seq}`, primaryEmail: `m${seq}@move.example` } }),
    );
  };

  beforeAll(async () => {
    h = await createTestHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    templateId = await defaultTemplateId(h);
    const res = await h.call('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/events',
      eventTypes: ['customer.status_changed', 'subscriber.status_changed'],
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => h.close());

  it('refuses a customer move the lifecycle forbids before writing anything', async () => {
    const c = await newCustomer();
    const before = await customerRow(c.id);
    expect(before.status).toBe('provisioned');
    const [events, audit] = [(await deliveries()).length, (await auditOf(c.id)).length];
    h.clock.advance(60_000);
    await expect(moveCustomer(h.db, before, { to: 'provisioning', audit: { actor: 'test', action: 'test.move' } }, deps())).rejects.toThrow(
      /illegal customer transition provisioned → provisioning/,
    );
    const after = await customerRow(c.id);
    expect({ status: after.status, changed: after.status_changed_at }).toEqual({
      status: 'provisioned',
      changed: before.status_changed_at,
    });
    expect((await deliveries()).length).toBe(events);
    expect((await auditOf(c.id)).length).toBe(audit);
  });

  it('writes a legal customer move with its columns, its typed event and its audit entry', async () => {
    const c = await newCustomer();
    const before = await customerRow(c.id);
    const eventsBefore = (await deliveries()).length;
    h.clock.advance(60_000);
    const errors = [{ errorCode: 2500, description: 'stopped for the test' }];
    const moved = await moveCustomer(
      h.db,
      before,
      {
        to: 'error',
        set: { errors: JSON.stringify(errors) },
        audit: { actor: 'test', action: 'test.stop', after: (row) => ({ status: row.status }) },
      },
      deps(),
    );
    expect(moved.status).toBe('error');
    expect(moved.status_changed_at.getTime()).toBe(h.clock.now().getTime());
    expect(moved.errors).toEqual(errors);
    const queued = (await deliveries()).slice(eventsBefore);
    expect(queued.map((d) => d.event_type)).toEqual(['customer.status_changed']);
    const payload = OUTBOUND_EVENT_SCHEMAS['customer.status_changed'].parse(
      typeof queued[0]!.payload === 'string' ? JSON.parse(queued[0]!.payload) : queued[0]!.payload,
    );
    expect(payload.data).toMatchObject({ customerId: c.id, status: 'error', previousStatus: 'provisioned', errors });
    const last = (await auditOf(c.id)).at(-1)!;
    expect({ action: last.action, actor: last.actor, entity: last.entity_type }).toEqual({
      action: 'test.stop',
      actor: 'test',
      entity: 'customer',
    });
  });

  it('lets a drift repair re-provision what the lifecycle would not, but never out of deleted', async () => {
    const c = await newCustomer();
    const moved = await moveCustomer(h.db, await customerRow(c.id), { to: 'provisioning', audit: null, repair: true }, deps());
    expect(moved.status).toBe('provisioning');
    const gone = await moveCustomer(
      h.db,
      await moveCustomer(h.db, moved, { to: 'deleting', audit: null }, deps()),
      { to: 'deleted', audit: null },
      deps(),
    );
    await expect(moveCustomer(h.db, gone, { to: 'provisioning', audit: null, repair: true }, deps())).rejects.toThrow(
      /illegal customer transition deleted → provisioning/,
    );
    expect((await customerRow(c.id)).status).toBe('deleted');
  });

  it('refuses a subscriber move the lifecycle forbids, and a legal one emits its event', async () => {
    const c = await newCustomer();
    const s = await addSubscriber(h, c.id, `sub-${seq}@move.example`, 'webex_calling');
    const before = await subscriberRow(s.id);
    expect(before.status).toBe('provisioned');
    const eventsBefore = (await deliveries()).length;
    await expect(moveSubscriber(h.db, before, { to: 'provisioning', audit: null }, deps())).rejects.toThrow(
      /illegal subscriber transition provisioned → provisioning/,
    );
    expect((await subscriberRow(s.id)).status).toBe('provisioned');
    expect((await deliveries()).length).toBe(eventsBefore);
    const moved = await moveSubscriber(h.db, before, { to: 'deleting', audit: { actor: 'test', action: 'test.remove' } }, deps());
    expect(moved.status).toBe('deleting');
    const queued = (await deliveries()).slice(eventsBefore);
    expect(queued.map((d) => d.event_type)).toEqual(['subscriber.status_changed']);
    expect((await auditOf(s.id)).at(-1)!.action).toBe('test.remove');
  });
});
