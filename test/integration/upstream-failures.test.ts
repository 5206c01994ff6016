import { afterEach, describe, expect, it, vi } from 'vitest';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { runWorkerUntil } from '../support/run-worker-until.js';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';

/**
 * Upstream work that cannot succeed by waiting is never left looking in progress (#25): a refused token
 * holds the task at once (no attempt spent) and the customer shows `error` naming the token; attempts
 * used up park it with the customer in `error` naming Webex's silence; a retry brings it to provisioned
 * with exactly one customer in Webex.
 */
const TOKEN = 'fake-wholesale-partner-admin-token-0001';
let fake: FakeWebexWholesale | undefined;
let h: TestHarness | undefined;

afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function setUp() {
  fake = await startFakeWebexWholesale({ settleMs: 30 });
  h = await createTestHarness({ env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN } });
  return { fake, h, templateId: await defaultTemplateId(h) };
}

/** Runs the worker until `done` holds (test/support/run-worker-until.ts). */
const runUntil = (done: () => Promise<boolean>, rounds = 100) => runWorkerUntil(h!, done, { rounds, pauseMs: 40 });

const getJson = async (path: string) => (await h!.call('GET', path)).json();

async function createCustomer(templateId: string, externalId: string, name = 'Alder Dental Group') {
  const customerInfo = { name, primaryEmail: `it@${externalId}.example`, language: 'en' };
  const res = await h!.call('POST', '/v1/wholesale/customers', customerBody(templateId, { externalId, customerInfo }));
  expect(res.status).toBe(202);
  return new URL(res.headers.get('location')!).pathname;
}

describe('upstream failures are visible, named and recoverable', () => {
  it('a refused token holds the task at once, the customer shows error 2130 naming the token; status says unauthorized; one retry provisions it, once', async () => {
    const { fake, templateId } = await setUp();
    fake.revokeToken();
    const path = await createCustomer(templateId, 'crm-held-1');
    await h!.worker.drain();

    const customer = await getJson(path);
    expect(customer.status).toBe('error');
    expect(customer.errors).toEqual([{ errorCode: 2130, description: expect.stringContaining('WEBEX_WHOLESALE_TOKEN') }]);
    expect(customer.errors[0].description).toMatch(/Webex token was refused \(401\)/);

    const tasks = await getJson('/v1/tasks?state=parked');
    expect(tasks.items).toEqual([
      expect.objectContaining({ kind: 'customer.provision', entityId: customer.id, customerId: customer.id, state: 'parked', attempts: 0 }),
    ]);
    // Held, not burned: more worker runs send nothing more to Webex and spend no attempt.
    const sent = fake.requests.length;
    h!.clock.advance(3_600_000);
    await h!.worker.drain();
    expect(fake.requests.length).toBe(sent);
    expect((await getJson('/v1/tasks?state=parked')).items[0].attempts).toBe(0);

    const status = await getJson('/v1/upstream/status');
    expect(status).toMatchObject({
      state: 'unauthorized',
      lastError: { status: 401, errorCode: 401, outcome: 'unauthorized', trackingId: expect.stringMatching(/^FAKE_WHOLESALE_/) },
      tasks: { parked: 1, failed: 0 },
      outcomes: expect.objectContaining({ unauthorized: 1 }),
    });
    expect(status.summary).toMatch(/^The Webex token was refused \(401\): set WEBEX_WHOLESALE_TOKEN/);

    fake.restore();
    const retried = await h!.call('POST', '/v1/tasks/retry');
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ retried: 1, items: [{ kind: 'customer.provision', entityId: customer.id }] });
    expect((await getJson(path)).status).toBe('provisioning');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    expect((await getJson(path)).errors).toEqual([]);
    expect([...fake.customers.values()].filter((c) => c.externalId === 'crm-held-1')).toHaveLength(1);
    expect((await getJson('/v1/tasks')).items).toEqual([]);
    expect((await getJson('/v1/upstream/status')).state).toBe('ok');

    const rows = await h!.db.selectFrom('audit_log').select(['action', 'actor']).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['customer.upstream_held', 'tasks.retried', 'customer.provisioned']));
    fake.assertValid();
  });

  it('a subscriber added while its customer is held is held too, and the same retry brings both to provisioned', async () => {
    const { fake, templateId } = await setUp();
    const path = await createCustomer(templateId, 'crm-held-2');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    const customerId = (await getJson(path)).id as string;
    fake.revokeToken();
    const res = await h!.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: 'ann@held.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Ann', lastName: 'Lee', extension: '1001' },
    });
    expect(res.status).toBe(200);
    const subscriberId = (await res.json()).id as string;
    await h!.worker.drain();
    const held = await getJson(`/v1/wholesale/subscribers/${subscriberId}`);
    expect(held).toMatchObject({ status: 'error', errors: [{ errorCode: 2130 }] });

    fake.restore();
    expect(await (await h!.call('POST', `/v1/tasks/retry?customerId=${encodeURIComponent(customerId)}`)).json()).toMatchObject({
      retried: 1,
    });
    await runUntil(async () => (await getJson(`/v1/wholesale/subscribers/${subscriberId}`)).status === 'provisioned');
    expect([...fake.subscribers.values()].filter((s) => s.email === 'ann@held.example')).toHaveLength(1);
    fake.assertValid();
  });

  it('attempts used up park the task as failed, the customer shows error 2131 naming Webex’s silence; retrying that one task provisions it', async () => {
    const { fake, templateId } = await setUp();
    fake.startOutage();
    const path = await createCustomer(templateId, 'crm-gone-1');
    await runUntil(async () => (await getJson(path)).status === 'error', 40);
    const customer = await getJson(path);
    expect(customer.errors).toEqual([{ errorCode: 2131, description: expect.stringMatching(/no usable answer in 8 attempts/) }]);
    const [task] = (await getJson('/v1/tasks?state=failed&kind=customer.provision')).items;
    expect(task).toMatchObject({ state: 'failed', attempts: 8, lastError: expect.any(String) });
    expect((await getJson('/v1/upstream/status')).state).toMatch(/unavailable|degraded/);

    fake.restore();
    const one = await h!.call('POST', `/v1/tasks/${task.id}/retry`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: task.id, state: 'pending', attempts: 0 });
    expect((await h!.call('POST', `/v1/tasks/${task.id}/retry`)).status).toBe(409);
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    expect([...fake.customers.values()].filter((c) => c.externalId === 'crm-gone-1')).toHaveLength(1);
  });

  it('chat `retry <customer>` and `retry failed`, and the CLI `tasks list` / `tasks retry`, run held work again', async () => {
    const { fake, templateId } = await setUp();
    fake.revokeToken();
    const one = await createCustomer(templateId, 'crm-chat-1', 'Ash Dental');
    const two = await createCustomer(templateId, 'crm-chat-2', 'Beech Dental');
    const three = await createCustomer(templateId, 'crm-chat-3', 'Cork Dental');
    await h!.worker.drain();
    for (const path of [one, two, three]) expect((await getJson(path)).status).toBe('error');
    const say = async (text: string) =>
      ((await (await h!.call('POST', '/v1/console/messages', { text })).json()).replies as { markdown: string }[])
        .map((r) => r.markdown)
        .join('\n');

    const cli = (args: string[], opts: Record<string, string> = {}) =>
      runCliCommand(h!.useCases, args, opts, { clock: h!.clock, ids: nodeIds });
    const listed = await cli(['tasks', 'list'], { state: 'parked' });
    expect(listed.output.split('\n')).toHaveLength(3);
    expect(listed.output).toContain('parked  customer.provision');
    expect((await cli(['tasks', 'list'], { state: 'stuck' })).output).toContain('--state must be parked or failed');

    fake.restore();
    expect(await say('retry crm-chat-1')).toContain('Retrying 1 task of **Ash Dental**');
    expect((await getJson(one)).status).toBe('provisioning');
    expect(await say('retry crm-chat-1')).toContain('Nothing to retry for **Ash Dental**');
    const [taskOfTwo] = (await getJson(`/v1/tasks?customerId=${encodeURIComponent((await getJson(two)).id)}`)).items;
    expect((await cli(['tasks', 'retry', taskOfTwo.id])).output).toContain(`task ${taskOfTwo.id} (customer.provision) is queued again`);
    expect(await say('retry failed')).toContain('Retrying 1 task (1 customer.provision)');
    expect(await say('retry failed')).toContain('Nothing to retry');
    await runUntil(async () => {
      const all = await Promise.all([one, two, three].map(getJson));
      return all.every((c) => c.status === 'provisioned');
    });
    expect([...fake.customers.values()].map((c) => c.externalId).sort()).toEqual(['crm-chat-1', 'crm-chat-2', 'crm-chat-3']);
    const actors = await h!.db.selectFrom('audit_log').select(['actor']).where('action', '=', 'tasks.retried').execute();
    expect(actors.map((a) => a.actor.split(':')[0])).toEqual(['token', 'cli', 'token']);
  });

  it('answers bad filters with what to fix, an unknown task with 404, and a sync with a refused token ends naming the token (not "try again")', async () => {
    const { fake } = await setUp();
    const bad = await h!.call('GET', '/v1/tasks?state=stuck&kind=nope');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { errorCode: number; description: string }) => e.description)).toEqual([
      expect.stringContaining('state "stuck"'),
      expect.stringContaining('kind "nope"'),
    ]);
    expect((await h!.call('POST', '/v1/tasks/999999/retry')).status).toBe(404);
    fake.revokeToken();
    // A sync runs in the background (202 + Location): the run ends failed, naming the token and its fix.
    const sync = await h!.call('POST', '/v1/upstream/sync');
    expect(sync.status).toBe(202);
    const location = new URL(sync.headers.get('location')!).pathname;
    const run = await vi.waitFor(
      async () => {
        await h!.worker.drain();
        const r = await (await h!.call('GET', location)).json();
        if (r.state !== 'failed' && r.state !== 'succeeded') throw new Error(`sync still ${r.state}`);
        return r;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(run.state).toBe('failed');
    expect(run.errors).toEqual([expect.stringContaining('WEBEX_WHOLESALE_TOKEN')]);
    expect(run.errors[0]).not.toContain('did not answer usably');
  });
});
