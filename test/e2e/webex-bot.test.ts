import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_TOKEN, startFakeWebex, type FakeWebex } from '../support/fake-webex.js';
import { killLeftoverServices, spawnService, waitForStatus, waitUntil, type SpawnedService } from '../support/spawn-service.js';
import { customerBody } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { entryArgs } from '../support/compiled-service.js';

const run = promisify(execFile);
const ADMIN = 'wdk_e2e_admin_token_0123456789abcdef';
/** Where Webex reaches the desk (a reverse proxy would forward it to the port the service bound). */
const PUBLIC_URL = 'http://desk-a.test';
const NO_CUSTOMERS = 'No customers yet. Start with `provision customer`.';

/**
 * The real service and the real webex-node-bot-framework against a local server speaking the Webex
 * REST API: signed webhooks in, the framework fetching messages, replies posted back.
 */
describe(`Webex bot end to end on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let webex: FakeWebex;
  let service: SpawnedService;
  const env = (): Record<string, string> => (testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-webex-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    webex = await startFakeWebex();
    // Another instance's webhook (another host) must survive this instance's start.
    webex.webhooks.push({
      id: 'other-instance-hook',
      name: Buffer.from('desk-b.example desk@webex.bot').toString('base64'),
      targetUrl: 'https://desk-b.example/webex/events',
      resource: 'all',
      event: 'all',
      secret: 'other-secret-0123456789',
      status: 'active',
      created: new Date().toISOString(),
    });
    const cli = (...args: string[]) =>
      run(process.execPath, [...entryArgs('cli'), ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ADMIN_API_TOKEN: ADMIN, ...env() },
      });
    await cli('staff', 'add', 'ops@partner.example', '--role', 'operator');
    await cli('staff', 'add', 'viewer@partner.example', '--role', 'viewer');
    service = spawnService({
      ...env(),
      ADMIN_API_TOKEN: ADMIN,
      LOG_LEVEL: 'info',
      PUBLIC_URL,
      // The billed customer's ledger starts 70 days back, past the default limit of 62.
      BACKDATE_MAX_DAYS: '400',
      WEBEX_BOT_TOKEN: FAKE_BOT_TOKEN,
      WEBEX_WEBHOOK_SECRET: 'webhook-secret-0123456789',
      HYDRA_SERVICE_URL: webex.apiUrl,
    });
    await waitForStatus(service, '/readyz');
    webex.forward(PUBLIC_URL, service.url);
    await waitUntil(
      service,
      'the framework registered its webhooks and started',
      () => webex.webhooks.length >= 3 && service.output().includes('webex bot started'),
      20_000,
    );
  }, 180_000);
  afterAll(async () => {
    if (process.env.DEBUG_E2E) console.log(service?.output().slice(-6000));
    service?.child.kill('SIGTERM');
    await service?.exited;
    await killLeftoverServices();
    await webex?.close();
    await testDb.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("registers its own webhooks with the secret, pointing at /webex/events, and leaves other instances' alone", () => {
    const own = webex.webhooks.filter((w) => w.id !== 'other-instance-hook');
    expect(own.map((w) => [w.resource, w.event])).toEqual([
      ['all', 'all'],
      ['attachmentActions', 'created'],
    ]);
    expect(own.every((w) => w.secret === 'webhook-secret-0123456789' && w.targetUrl === `${PUBLIC_URL}/webex/events`)).toBe(true);
    expect(webex.webhooks.some((w) => w.id === 'other-instance-hook')).toBe(true);
  });

  it('answers a signed message in a 1:1 space; a wrong signature gets 401 and no reply; a redelivery runs nothing twice', async () => {
    const ops = webex.addPerson('ops@partner.example', 'Olga Ops');
    const room = webex.addRoom('direct', 'Olga Ops');
    const before = webex.posted.length;
    expect((await webex.say(room, ops, 'help', { secret: 'not-the-secret-at-all' })).status).toBe(401);
    const sent = await webex.say(room, ops, 'help');
    expect(sent.status).toBe(200);
    const [reply] = (await webex.waitForPosts(before + 1)).slice(before);
    expect(reply!.roomId).toBe(room.id);
    expect(reply!.markdown).toContain('`provision customer');
    // User data with % reaches Webex as typed (no printf-style formatting on the way out).
    await webex.say(room, ops, 'help %s %d 100%');
    expect((await webex.waitForPosts(before + 2)).at(-1)!.markdown).toContain('"%s %d 100%"');
    expect((await webex.redeliverLast()).status).toBe(200);
    // A space's work runs in order: by the time a later message is answered, a second run of the
    // redelivered one would have answered too.
    await webex.say(room, ops, 'help status');
    expect((await webex.waitForPosts(before + 3)).slice(before + 2).map((p) => p.markdown)).toEqual([
      expect.stringContaining('**status**'),
    ]);
    expect(webex.posted.length).toBe(before + 3);
    expect(webex.requests).toContain(`GET /messages/${sent.messageId}`);
  });

  it('refuses strangers politely and answers in a group space only when mentioned', async () => {
    const stranger = webex.addPerson('someone@elsewhere.example', 'Sam');
    const dm = webex.addRoom('direct', 'Sam');
    let n = webex.posted.length;
    await webex.say(dm, stranger, 'customers');
    expect((await webex.waitForPosts(n + 1)).at(-1)!.markdown).toContain('I only work with the partner');

    const viewer = webex.addPerson('viewer@partner.example', 'Vic');
    const group = webex.addRoom('group', 'Wholesale team');
    n = webex.posted.length;
    // When the second message arrives while the framework is still joining the new space, the
    // framework drops it; the stored copy is then handed over again a few seconds later.
    await webex.say(group, viewer, 'customers');
    await webex.say(group, viewer, 'customers', { mention: true });
    const posts = await webex.waitForPosts(n + 1);
    expect(posts.at(-1)!.roomId).toBe(group.id);
    expect(posts.at(-1)!.markdown).toBe(NO_CUSTOMERS);
    // A space's work runs in order: once a later mention is answered, an answer to the unmentioned
    // message would have come too.
    await webex.say(group, viewer, 'help status', { mention: true });
    expect((await webex.waitForPosts(n + 2)).slice(n + 1).map((p) => p.markdown)).toEqual([expect.stringContaining('**status**')]);
    expect(webex.posted.length).toBe(n + 2);
  });

  it('opens the card form, takes the submitted card, and attaches CSV files', async () => {
    const ops = webex.addPerson('ops@partner.example', 'Olga Ops');
    const room = webex.addRoom('direct', 'Olga Ops 2');
    let n = webex.posted.length;
    await webex.say(room, ops, 'provision customer "Echo Clinic" country GB');
    const form = (await webex.waitForPosts(n + 1)).at(-1)!;
    expect(form.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    n = webex.posted.length;
    await webex.submitCard(room, ops, form.id, {
      _command: 'provision customer',
      name: 'Echo Clinic',
      email: 'it@echo.example',
      country: 'GB',
      packages: 'webex_meetings',
      address: '2 Strand',
      city: 'London',
      zip: 'WC2N 5HR',
    });
    expect((await webex.waitForPosts(n + 1)).at(-1)!.markdown).toContain('Accepted **Echo Clinic**');

    n = webex.posted.length;
    await webex.say(room, ops, 'import users', {
      file: {
        name: 'team.csv',
        content: 'email,customer,package,first_name,last_name\nann@echo.example,echo-clinic,webex_meetings,Ann,Ash\n',
      },
    });
    expect((await webex.waitForPosts(n + 1)).at(-1)!.markdown).toContain('Import **1 user** from team.csv');
    n = webex.posted.length;
    await webex.say(room, ops, 'yes');
    expect((await webex.waitForPosts(n + 1)).at(-1)!.markdown).toContain('**1 user added**');

    // A customer with a subscriber since before last month, so that last month's report has its row.
    const api = async (method: string, path: string, body?: Record<string, unknown>) => {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: body && JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const longAgo = new Date(Date.now() - 70 * 86_400_000).toISOString();
    const templateId = (await api('GET', '/v1/wholesale/onboardingTemplates')).body.items[0].provisioningId;
    const created = await api(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, { externalId: 'billed-1', packages: ['webex_calling', 'webex_meetings'], effectiveAt: longAgo }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    let customer: { id: string; status: string } | undefined;
    await waitUntil(service, 'the customer is provisioned', async () => {
      customer = (await api('GET', '/v1/wholesale/customers?externalId=billed-1')).body.items[0];
      return customer?.status === 'provisioned';
    });
    const subscriber = await api('POST', '/v1/wholesale/subscribers', {
      customerId: customer!.id,
      email: 'bo@billed.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Bo', lastName: 'Billed', extension: '4001' },
      effectiveAt: longAgo,
    });
    expect(subscriber.status, JSON.stringify(subscriber.body)).toBe(200);

    n = webex.posted.length;
    await webex.say(room, ops, 'billing report last month customer');
    const [summary, file] = (await webex.waitForPosts(n + 2)).slice(n);
    expect(summary!.markdown).toContain('Customer billing report');
    expect(file!.file?.name).toMatch(/^customer-report-.*\.csv$/);
    expect(parseCsv(file!.file!.content)).toEqual([
      expect.objectContaining({ CUSTOMER_EXTERNAL_ID: 'billed-1', SERVICE_NAME: 'WEBEX_CALLING' }),
    ]);
  });

  it('posts a digest with its chart PNG into a Webex space, and subscribes the space', async () => {
    const ops = webex.addPerson('ops@partner.example', 'Olga Ops');
    const room = webex.addRoom('direct', 'Olga Ops digest');
    let n = webex.posted.length;
    await webex.say(room, ops, 'digest now');
    const [digest, chart] = (await webex.waitForPosts(n + 2)).slice(n);
    expect(digest!.markdown).toContain('**Daily digest for');
    expect(chart!.file).toMatchObject({ contentType: 'image/png' });
    expect(chart!.file!.bytes.subarray(1, 4).toString()).toBe('PNG');
    n = webex.posted.length;
    await webex.say(room, ops, 'digest daily at 07:30 Asia/Tokyo');
    expect((await webex.waitForPosts(n + 1)).at(-1)!.markdown).toContain('07:30 Asia/Tokyo');
    const list = await (await fetch(`${service.url}/v1/digests`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    expect(list.items).toEqual([expect.objectContaining({ spaceId: room.id, transport: 'webex', timeZone: 'Asia/Tokyo' })]);
  });

  it('holds a space for Retry-After on 429 and keeps the order of its messages', async () => {
    const ops = webex.addPerson('ops@partner.example', 'Olga Ops');
    const room = webex.addRoom('direct', 'Olga Ops 3');
    await webex.say(room, ops, 'help help');
    const n = (await webex.waitForPosts(webex.posted.length + 1)).length;
    webex.rateLimitNext(1, 1);
    const started = Date.now();
    await webex.say(room, ops, 'help customers');
    await webex.say(room, ops, 'help status');
    const [first, second] = (await webex.waitForPosts(n + 2)).slice(n);
    expect(first!.at - started).toBeGreaterThanOrEqual(1_000);
    expect(first!.markdown).toContain('**customers**');
    expect(second!.markdown).toContain('**status**');
    expect(service.output()).toContain('webex send retry');
  });
});
