import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext, StaffRole } from '../../src/bot/bot-command.js';
import { handleCardSubmission, handleMessage } from '../../src/bot/handle-message.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';

const log = pino({ level: 'silent' });

describe(`bot commands on ${testDbKind()}`, () => {
  let h: TestHarness;
  const say = async (text: string, role: StaffRole = 'admin', logger = log) => {
    const partner = (await loadRootPartner(h.db))!;
    const ctx: BotContext = {
      useCases: h.useCases,
      actor: { partner, label: `staff:${role}@partner.example`, role },
      spaceId: 'space-1',
      deps: { now: h.clock.now(), uuid: nodeIds.uuid },
    };
    return handleMessage(ctx, text, logger);
  };

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    const templateId = await defaultTemplateId(h);
    await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'acme-1',
        effectiveAt: '2026-05-01T00:00:00Z',
        customerInfo: { name: 'Acme *Dental*', primaryEmail: 'it@acme.example' },
      }),
    );
    const c = (await (await h.call('GET', '/v1/wholesale/customers?externalId=acme-1')).json()).items[0];
    await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: c.id,
      email: 'ann@acme.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Ann', lastName: 'Acme', extension: '1001' },
      effectiveAt: '2026-05-01T00:00:00Z',
    });
  });
  afterAll(() => h.close());

  it('answers help from the registry, filtered by role', async () => {
    const admin = await say('help');
    expect(admin.markdown).toContain('`billing report <Month> [<year>] [partner|customer|user]`');
    expect(admin.markdown).toContain('`approve <customer>`');
    const viewer = await say('HELP', 'viewer');
    expect(viewer.markdown).toContain('`customers [status <status>]`');
    expect(viewer.markdown).not.toContain('approve');
    expect((await say('help billing report')).markdown).toContain('billing report last month');
  });

  it('lists customers and shows a status, escaping user data', async () => {
    expect((await say('customers')).markdown).toContain('**Acme \\*Dental\\*** (acme\\-1): provisioned');
    expect((await say('customers status error')).markdown).toBe('No customers are error.');
    const status = await say('status "acme *dental*"');
    expect(status.markdown).toContain('Status: **provisioned**');
    expect(status.markdown).toContain('- Webex Calling: 1 provisioned');
    expect((await say('status nobody')).markdown).toContain('No customer "nobody"');
  });

  it("status names the customer's org beside its orgId, and shows the orgId alone for a customer without a name", async () => {
    const { org_id: orgId } = await h.db
      .selectFrom('customers')
      .select('org_id')
      .where('external_id', '=', 'acme-1')
      .executeTakeFirstOrThrow();
    expect(orgId).toBeTruthy();
    expect((await say('status acme-1')).markdown).toContain(`Status: **provisioned** · orgId ${orgId} (**Acme \\*Dental\\***) · country`);
    await h.db.updateTable('customers').set({ name: null }).where('external_id', '=', 'acme-1').execute();
    try {
      expect((await say('status acme-1')).markdown).toContain(`Status: **provisioned** · orgId ${orgId} · country`);
    } finally {
      await h.db.updateTable('customers').set({ name: 'Acme *Dental*' }).where('external_id', '=', 'acme-1').execute();
    }
  });

  it('attaches the billing report CSV', async () => {
    const reply = await say('billing report may user');
    expect(reply.markdown).toContain('User billing report, 2026-05-01 to 2026-05-31');
    const rows = parseCsv(String(reply.files![0]!.content));
    expect(rows).toEqual([expect.objectContaining({ SERVICE_NAME: 'WEBEX_CALLING', QUANTITY: '31', CUSTOMER_EXTERNAL_ID: 'acme-1' })]);
    // Asked again, the completed report comes back (the same file), not a refusal.
    const again = await say('billing report may user');
    expect(again.markdown).toContain('here it is again');
    expect(again.markdown).not.toContain('delete it');
    expect(again.files?.[0]?.content).toBe(reply.files![0]!.content);
    expect(await h.db.selectFrom('billing_reports').select('id').execute()).toHaveLength(1);
    expect((await say('billing report december 2026')).markdown).toContain('has not started yet');
  });

  it('runs the review queue and decisions', async () => {
    const list = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));
    await h.app.request('/v1/compliance/screening-list', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: list,
    });
    await h.worker.drain();
    const templateId = await defaultTemplateId(h);
    await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: 'orion-1',
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        address: { addressLine1: '1 Quay', city: 'Dubai', country: 'AE' },
        customerInfo: { name: 'Orion Maritime Trading', primaryEmail: 'o@orion.example' },
      }),
    );
    await h.worker.drain();
    expect((await say('review queue')).markdown).toMatch(
      /Orion Maritime Trading.*onboarding.*matches Orion Maritime Trading LLC.*72 h left/,
    );
    expect((await say('review queue', 'viewer')).markdown).toContain('needs the operator role');
    expect((await say('reject orion-1')).markdown).toContain('Usage: `reject <customer> <reason>`');
    expect((await say('approve orion-1', 'operator')).markdown).toContain('needs the admin role');
    expect((await say('approve orion-1')).markdown).toBe('Approved: **Orion Maritime Trading** continues (onboarding review).');
    expect((await say('approve orion-1')).markdown).toBe('Orion Maritime Trading has no open review.');
  });

  it('suggests the command meant, and shows the usage with every validation error', async () => {
    expect((await say('custmers')).markdown).toContain('Did you mean `customers`?');
    expect((await say('biling report march')).markdown).toContain('Did you mean `billing report`?');
    const bad = await say('customers status happy');
    expect(bad.markdown).toContain('status must be one of');
    expect(bad.markdown).toContain('Usage: `customers [status <status>]`');
    expect((await say('billing report Smarch')).markdown).toContain('give a month');
  });

  it('answers 1,000 generated malformed messages helpfully and never throws', async () => {
    // A command that throws is caught, logged as an error and answered with a catch-all apology: that is
    // a crash here, whatever the reply says.
    const crashes: string[] = [];
    const fuzzLog = pino({ level: 'error' }, { write: (line: string) => void crashes.push(line) });
    const CRASH_REPLY = /Something went wrong/;
    let seed = 5;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pieces = [
      'help',
      'customers',
      'status',
      'billing',
      'report',
      'review',
      'queue',
      'approve',
      'reject',
      '"',
      "'",
      'status',
      '%s',
      '%d',
      '*',
      '_',
      '`',
      '\u201C',
      'march',
      '2026-13',
      'last',
      'month',
      'user',
      '',
      ' ',
      '\n',
      '😀',
      'x'.repeat(300),
      '\u0000',
      '<script>',
      'DROP TABLE customers;',
      '-1',
      'NaN',
      'provision',
      'customer',
      'add',
      'user',
      'import',
      'users',
      'invoice',
      'change',
      'package',
      'precheck',
      'to',
      'email',
      'country',
      'packages',
      'a@b.example',
      'US',
      'webex_calling,',
      'digest',
      'daily',
      'at',
      '25:99',
      '07:30',
      'Mars/Olympus',
      'off',
      'now',
      'yes',
      'no',
    ];
    for (let i = 0; i < 1000; i += 1) {
      const n = 1 + Math.floor(rand() * 6);
      const text = Array.from({ length: n }, () => pieces[Math.floor(rand() * pieces.length)]).join(rand() < 0.5 ? ' ' : '');
      const reply = await say(text, (['viewer', 'operator', 'admin'] as const)[i % 3], fuzzLog);
      expect(typeof reply.markdown, text).toBe('string');
      expect(reply.markdown.length, text).toBeGreaterThan(5);
      expect(reply.markdown, text).not.toMatch(CRASH_REPLY);
    }
    // Card submissions are input too: random forms for random commands.
    const partner = (await loadRootPartner(h.db))!;
    const names = ['provision customer', 'add user', 'help', 'nothing', '', '%s'];
    for (let i = 0; i < 200; i += 1) {
      const inputs: Record<string, string> = { _command: names[Math.floor(rand() * names.length)]! };
      for (const key of ['name', 'email', 'country', 'packages', 'customer', 'package', 'firstName', 'address', 'city', '_answer'])
        if (rand() < 0.5) inputs[key] = pieces[Math.floor(rand() * pieces.length)]!;
      const ctx: BotContext = {
        useCases: h.useCases,
        actor: { partner, label: 'staff:fuzz@partner.example', role: 'operator' },
        spaceId: 'fuzz',
        deps: { now: h.clock.now(), uuid: nodeIds.uuid },
      };
      const reply = await handleCardSubmission(ctx, inputs, fuzzLog);
      expect(reply.markdown.length, JSON.stringify(inputs)).toBeGreaterThan(5);
      expect(reply.markdown, JSON.stringify(inputs)).not.toMatch(CRASH_REPLY);
    }
    expect(crashes).toEqual([]);
  });

  it('records every command with actor, space and result in the audit log', async () => {
    await say('customers');
    const rows = await h.db
      .selectFrom('audit_log')
      .select(['actor', 'context'])
      .where('action', '=', 'bot.command')
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(rows[0]).toMatchObject({ actor: 'staff:admin@partner.example', context: { space: 'space-1', text: 'customers', result: 'ok' } });
  });
});

/**
 * The console chat and confirmation suites run on one database (opening one costs seconds of CPU), each
 * on a desk of its own: `chatDb` holds no customer until the confirmations suite, the last, adds its own.
 */
let chatDb: TestHarness | undefined;

describe(`console chat on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    chatDb = await createTestHarness();
    h = chatDb;
  });

  it('answers through POST /v1/console/messages with the role of the token', async () => {
    const res = await h.call('POST', '/v1/console/messages', { text: 'help' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.replies[0].markdown).toContain('`approve <customer>`');
    const { runCliCommand } = await import('../../src/cli/run-cli-command.js');
    const out = await runCliCommand(
      h.useCases,
      ['token', 'create'],
      { name: 'reader', scopes: 'spark-admin:wholesale_customers_read' },
      { clock: h.clock, ids: nodeIds },
    );
    const token = /wdk_[\w-]+/.exec(out.output)![0];
    const viewer = await (await h.call('POST', '/v1/console/messages', { text: 'review queue' }, { token })).json();
    expect(viewer.replies[0].markdown).toContain('needs the operator role');
    expect((await h.call('POST', '/v1/console/messages', { text: 'help' }, { token: null })).status).toBe(401);
    expect((await h.call('POST', '/v1/console/messages', { words: 'help' })).status).toBe(400);
  });
});

describe(`console chat needs the API's scopes on ${testDbKind()}`, () => {
  let h: TestHarness;
  const tokenWith = async (scopes: string) => {
    const { runCliCommand } = await import('../../src/cli/run-cli-command.js');
    const out = await runCliCommand(h.useCases, ['token', 'create'], { name: `only ${scopes}`, scopes }, { clock: h.clock, ids: nodeIds });
    return /wdk_[\w-]+/.exec(out.output)![0];
  };
  const chat = async (text: string, token: string) =>
    (await (await h.call('POST', '/v1/console/messages', { text }, { token })).json()).replies[0].markdown as string;
  beforeAll(async () => {
    h = await createTestHarness({ sharingDatabaseOf: chatDb });
  });
  afterAll(() => h.close());

  it.each([
    [
      'provision customer "Scope Co" email it@scope.example country US packages webex_meetings address "1 Main St" city Austin state TX zip 78701',
      'spark-admin:wholesale_billing_reports_write',
      'spark-admin:wholesale_customers_write',
    ],
    [
      'add user u@scope.example to "Scope Co" package webex_meetings first Una last User',
      'spark-admin:wholesale_billing_reports_write,spark-admin:wholesale_customers_write',
      'spark-admin:wholesale_subscribers_write',
    ],
    ['customers', 'spark-admin:wholesale_billing_reports_read', 'spark-admin:wholesale_customers_read'],
  ])('refuses "%s" to a token holding only %s: it needs %s, as the API does', async (text, held, needed) => {
    const reply = await chat(text, await tokenWith(held));
    expect(reply).toContain(`needs the scope ${needed}, which your token lacks`);
    expect(await h.db.selectFrom('customers').select('id').execute()).toEqual([]);
  });

  it('runs the command for a token holding the scope', async () => {
    expect(await chat('customers', await tokenWith('spark-admin:wholesale_customers_read'))).not.toContain('which your token lacks');
  });
});

describe(`confirmations on ${testDbKind()}`, () => {
  let h: TestHarness;
  const say = async (text: string, who = 'ops@partner.example', space = 'space-1') => {
    const partner = (await loadRootPartner(h.db))!;
    return handleMessage(
      {
        useCases: h.useCases,
        actor: { partner, label: `staff:${who}`, role: 'operator' },
        spaceId: space,
        deps: { now: h.clock.now(), uuid: nodeIds.uuid },
      },
      text,
      log,
    );
  };
  beforeAll(async () => {
    h = await createTestHarness({ sharingDatabaseOf: chatDb });
    const templateId = await defaultTemplateId(h);
    const c = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'conf-1',
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        customerInfo: { name: 'Confirm Co', primaryEmail: 'it@confirm.example' },
      }),
    );
    for (const email of ['a@confirm.example', 'b@confirm.example'])
      await h.call('POST', '/v1/wholesale/subscribers', {
        customerId: c.id,
        email,
        packages: ['webex_meetings'],
        provisioningParameters: { firstName: 'A', lastName: 'Confirm' },
      });
  });
  afterAll(async () => {
    await h.close();
    await chatDb?.close();
  });
  const live = async (email: string) =>
    Boolean(
      await h.db.selectFrom('subscribers').select('id').where('email', '=', email).where('status', '<>', 'deleted').executeTakeFirst(),
    );

  it('asks before removing, and only the same person in the same space confirms, once', async () => {
    expect((await say('remove user A@confirm.example')).markdown).toBe(
      'Remove **a@confirm.example** from Confirm Co? Their Webex Meetings billing stops now.\nReply **yes** within 10 minutes to go ahead, or **no**.',
    );
    expect(await live('a@confirm.example')).toBe(true);
    expect((await say('yes', 'someone-else@partner.example')).markdown).toContain('Nothing is waiting');
    expect((await say('yes', 'ops@partner.example', 'other-space')).markdown).toContain('Nothing is waiting');
    expect((await say('yes')).markdown).toContain('Removed **a@confirm.example**');
    expect(await live('a@confirm.example')).toBe(false);
    expect((await say('yes')).markdown).toContain('Nothing is waiting');
  });

  it('drops a proposal on "no" or after 10 minutes, and a newer one replaces an older', async () => {
    await say('remove user b@confirm.example');
    expect((await say('no')).markdown).toBe('Cancelled: nothing was changed.');
    expect(await live('b@confirm.example')).toBe(true);
    await say('remove user b@confirm.example');
    h.clock.advance(10 * 60_000 + 1);
    expect((await say('y')).markdown).toContain('Nothing is waiting');
    expect(await live('b@confirm.example')).toBe(true);
    expect((await say('remove user nobody@confirm.example')).markdown).toBe('No subscriber nobody@confirm.example.');
    await say('remove user b@confirm.example');
    const rows = await h.db.selectFrom('bot_proposals').select('status').execute();
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'replaced')).toHaveLength(1);
  });
});
