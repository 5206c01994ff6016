import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotReply } from '../../src/bot/bot-command.js';
import { postToConsoleInbox } from '../../src/bot/console-inbox.js';
import { formatDailyDigest } from '../../src/bot/digest-messages.js';
import { loadDailyDigest } from '../../src/use-cases/digest-data.js';
import { WEBEX_MESSAGE_LIMIT_BYTES } from '../../src/bot/replies.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { listTemplates } from '../../src/db/repositories/onboarding-templates.js';
import { createDigestScheduler, type DigestSpace } from '../../src/jobs/digest-scheduler.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createCustomer } from '../../src/use-cases/customers.js';
import { seedFirstStart } from '../../src/use-cases/seed-first-start.js';
import { setDigestSubscription } from '../../src/use-cases/digest-subscriptions.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createMetrics, type Metrics } from '../../src/platform/metrics.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase, testDbKind } from '../support/test-db.js';
import { createUseCases } from '../../src/use-cases/use-cases.js';

const log = pino({ level: 'silent' });

describe(`scheduled digests on ${testDbKind()}`, () => {
  let h: TestHarness;
  let space: string;
  const scheduler = (id: string, metrics?: Metrics) =>
    createDigestScheduler({
      useCases: h.useCases,
      logger: log,
      clock: h.clock,
      ids: nodeIds,
      instanceId: id,
      post: (s, reply) => postToConsoleInbox(h.useCases, s, reply, h.clock.now()),
      metrics,
    });
  const inbox = async () =>
    (await (await h.call('GET', '/v1/console/inbox')).json()).items as {
      id: number;
      message: { markdown: string; files?: { name: string; contentType: string; content: string; encoding?: string }[] };
    }[];

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-09T12:00:00Z' });
    const templateId = await defaultTemplateId(h);
    const c = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'acme-1',
        effectiveAt: '2026-05-01T00:00:00Z',
        customerInfo: { name: 'Acme Dental', primaryEmail: 'it@acme.example' },
      }),
    );
    for (let i = 0; i < 4; i++)
      await h.call('POST', '/v1/wholesale/subscribers', {
        customerId: c.id,
        email: `u${i}@acme.example`,
        packages: [i % 2 ? 'webex_meetings' : 'webex_calling'],
        provisioningParameters: { firstName: 'U', lastName: `${i}`, extension: `10${i}0` },
        effectiveAt: `2026-05-${10 + i * 5}T00:00:00Z`,
      });
    await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-01-01',
      currency: 'EUR',
      items: [
        { package: 'webex_calling', monthlyPrice: 2500 },
        { package: 'webex_meetings', monthlyPrice: 1200 },
      ],
    });
    const reply = await (await h.call('POST', '/v1/console/messages', { text: 'digest daily at 07:30 Europe/London' })).json();
    expect(reply.replies[0].markdown).toContain('every day at **07:30 Europe/London**');
    space = (await h.db.selectFrom('digest_subscriptions').select('space_id').executeTakeFirstOrThrow()).space_id;
  });
  afterAll(() => h.close());

  it('refuses bad times and zones with what to type', async () => {
    const bad = await (await h.call('POST', '/v1/console/messages', { text: 'digest daily at 25:00 Mars/Olympus' })).json();
    expect(bad.replies[0].markdown).toContain('give the time as HH:MM');
    expect(bad.replies[0].markdown).toContain('give an IANA time zone');
    const api = await h.call('PUT', `/v1/digests/${encodeURIComponent(space)}`, { localTime: '7:30', timeZone: 'Nowhere/City' });
    expect(api.status).toBe(400);
    expect(await api.text()).toContain('is not an IANA time zone');
    expect((await h.call('PUT', '/v1/digests/no-such-space', { localTime: '07:30', timeZone: 'UTC' })).status).toBe(404);
    const list = await (await h.call('GET', '/v1/digests')).json();
    expect(list.items).toEqual([
      expect.objectContaining({ spaceId: space, transport: 'console', localTime: '07:30', timeZone: 'Europe/London' }),
    ]);
  });

  it('posts the daily digest once at the local time, with the chart', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const a = scheduler('instance-a', metrics);
    h.clock.set('2026-06-10T06:29:00Z'); // 07:29 in London (BST)
    expect(await a.runDue()).toBe(0);
    h.clock.set('2026-06-10T06:30:00Z');
    expect(await a.runDue()).toBe(1);
    expect(await a.runDue()).toBe(0);
    expect(await metrics.registry.metrics()).toContain('wholesale_desk_digest_runs_total{job="digest.daily",outcome="posted"} 1\n');
    const items = await inbox();
    expect(items).toHaveLength(2);
    const digest = items[0]!.message.markdown;
    expect(digest).toContain('**Daily digest for Test Partner: 2026-06-09** (UTC day)');
    expect(digest).toContain('Webex Calling: **2** (±0)');
    expect(digest).toContain('Webex Meetings: **2** (±0)');
    expect(digest).toContain('**Compliance review**: nothing waiting');
    const file = items[1]!.message.files![0]!;
    expect(file).toMatchObject({ name: 'licences-2026-06-09.png', contentType: 'image/png', encoding: 'base64' });
    const bytes = Buffer.from(file.content, 'base64');
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([800, 400]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(10); // lines, axes, legend and text, not a blank page
    mkdirSync(join('test', 'artifacts'), { recursive: true });
    writeFileSync(join('test', 'artifacts', `daily-digest-chart-${testDbKind()}.png`), bytes);
  });

  it('after a restart, posts the run missed while down once', async () => {
    h.clock.set('2026-06-12T09:00:00Z'); // the service was down over the 11th's and 12th's 07:30
    const b = scheduler('instance-b');
    expect(await b.runDue()).toBe(1);
    expect(await b.runDue()).toBe(0);
    expect(await scheduler('instance-c').runDue()).toBe(0);
    const periods = await h.db.selectFrom('job_runs').select(['period', 'status', 'claimed_by']).orderBy('period').execute();
    expect(periods).toEqual([
      { period: `${space}@2026-06-10`, status: 'done', claimed_by: 'instance-a' },
      { period: `${space}@2026-06-12`, status: 'done', claimed_by: 'instance-b' },
    ]);
  });

  it('posts the monthly billing digest on the 1st with the CUSTOMER report attached', async () => {
    h.clock.set('2026-07-01T06:30:00Z');
    const before = (await inbox()).length;
    expect(await scheduler('instance-a').runDue()).toBe(2);
    const posted = (await inbox()).slice(before);
    const monthly = posted.find((m) => m.message.markdown.includes('Monthly billing'))!.message.markdown;
    expect(monthly).toContain('**Monthly billing for Test Partner: 2026-06**');
    expect(monthly).toMatch(/Webex Calling: 60 daily units → 50\.00 EUR/);
    expect(monthly).toContain('1. Acme Dental (acme\\-1):');
    const csv = posted.find((m) => m.message.files?.[0]?.name.startsWith('customer-report-'))!.message.files![0]!;
    expect(csv.name).toBe('customer-report-2026-06-01_2026-06-30.csv');
    expect(parseCsv(csv.content)).toEqual(expect.arrayContaining([expect.objectContaining({ CUSTOMER_EXTERNAL_ID: 'acme-1' })]));
  });

  it('follows the space time zone through the daylight-saving change', async () => {
    await setDigestSubscription(h.db, (await loadRootPartner(h.db))!, {
      spaceId: space,
      localTime: '02:30',
      timeZone: 'America/New_York',
      by: 'test',
      now: new Date('2027-03-06T00:00:00Z'),
    });
    const a = scheduler('instance-a');
    const postedAt: string[] = [];
    for (let t = Date.parse('2027-03-06T00:00:00Z'); t < Date.parse('2027-03-10T00:00:00Z'); t += 10 * 60_000) {
      h.clock.set(new Date(t));
      if (await a.runDue()) postedAt.push(new Date(t).toISOString());
    }
    // Ordinary days: 02:30 EST = 07:30Z.
    expect(postedAt).toEqual([
      '2027-03-06T07:30:00.000Z',
      '2027-03-07T07:30:00.000Z',
      '2027-03-08T07:30:00.000Z',
      '2027-03-09T07:30:00.000Z',
    ]);
    postedAt.length = 0;
    h.clock.set('2027-03-11T23:50:00Z');
    await a.runDue(); // the 11th's run, as if the scheduler had kept ticking
    for (let t = Date.parse('2027-03-12T00:00:00Z'); t < Date.parse('2027-03-16T00:00:00Z'); t += 10 * 60_000) {
      h.clock.set(new Date(t));
      if (await a.runDue()) postedAt.push(new Date(t).toISOString());
    }
    // 13th: 02:30 EST; 14th: 02:30 does not exist, so 03:30 EDT = 07:30Z; 15th: 02:30 EDT = 06:30Z. One each.
    expect(postedAt).toEqual([
      '2027-03-12T07:30:00.000Z',
      '2027-03-13T07:30:00.000Z',
      '2027-03-14T07:30:00.000Z',
      '2027-03-15T06:30:00.000Z',
    ]);
  });

  it('keeps the daily digest under the Webex limit with 500 customers', async () => {
    const partner = (await loadRootPartner(h.db))!;
    const template = (await listTemplates(h.db, [partner.id]))[0]!;
    const day = '2027-04-01';
    const now = new Date(`${day}T10:00:00Z`);
    for (let i = 0; i < 500; i++) {
      const r = await createCustomer(
        h.db,
        { partner, label: 'test' },
        {
          provisioningId: template.id,
          externalId: `bulk-${i}`,
          packages: ['webex_meetings'],
          address: { addressLine1: `${i} Long Road`, city: 'Berlin', country: 'DE' },
          customerInfo: { name: `Bulk Customer With A Rather Long Name Number ${i}`, primaryEmail: `it@bulk-${i}.example` },
        },
        { now, uuid: nodeIds.uuid },
      );
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
    }
    await h.db.updateTable('customers').set({ status: 'error' }).where('external_id', 'like', 'bulk-1%').execute();
    const reply = formatDailyDigest(await loadDailyDigest(h.db, partner, day, new Date(now.getTime() + 86_400_000)));
    expect(Buffer.byteLength(reply.markdown)).toBeLessThan(WEBEX_MESSAGE_LIMIT_BYTES);
    expect(reply.markdown).toContain('**Customers**: 500 new');
    expect(reply.markdown).toContain('…and 490 more');
  });
});

describe(`two instances on one database (${testDbKind()})`, () => {
  it('post exactly one digest per space per period', async () => {
    const testDb = await createTestDatabase({ migrated: true });
    const first = await testDb.open();
    // On PostgreSQL each instance has its own pool, as two processes would; PGlite is one process.
    const second = testDb.url ? await testDb.open({ migrate: false }) : first;
    try {
      const clock = new TestClock('2026-06-01T12:00:00Z');
      await seedFirstStart(first.db, { partnerName: 'Twins' }, { clock, ids: nodeIds });
      const partner = (await loadRootPartner(first.db))!;
      const spaces = ['room-a', 'room-b', 'room-c'];
      for (const s of spaces) {
        await first.db
          .insertInto('bot_spaces')
          .values({ space_id: s, partner_id: partner.id, transport: 'webex', title: s, bound_by: 'test', created_at: clock.now() })
          .execute();
        await setDigestSubscription(first.db, partner, {
          spaceId: s,
          localTime: '08:00',
          timeZone: 'Europe/Paris',
          by: 'test',
          now: clock.now(),
        });
      }
      const posted: string[] = [];
      const post = async (space: DigestSpace, reply: BotReply) => {
        await new Promise((r) => setTimeout(r, 5)); // posting takes a moment: the other instance ticks meanwhile
        posted.push(`${space.spaceId} ${reply.markdown.split('\n')[0]}`);
      };
      const make = (db: typeof first.db, id: string) =>
        createDigestScheduler({ useCases: createUseCases({ db }), logger: log, clock, ids: nodeIds, instanceId: id, post });
      const a = make(first.db, 'a');
      const b = make(second.db, 'b');
      for (const at of ['2026-06-02T06:00:00Z', '2026-06-02T06:01:00Z', '2026-06-03T06:00:00Z', '2026-07-01T06:00:00Z']) {
        clock.set(at);
        await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      }
      const daily = posted.filter((p) => p.includes('Daily digest'));
      const monthly = posted.filter((p) => p.includes('Monthly billing'));
      expect(daily).toHaveLength(9); // 3 spaces × (2 June, 3 June, 1 July)
      expect(new Set(daily).size).toBe(daily.length);
      expect(monthly).toHaveLength(3);
      const runs = await first.db.selectFrom('job_runs').select(['claimed_by']).execute();
      expect(runs).toHaveLength(12);
    } finally {
      if (second !== first) await second.db.destroy();
      await first.db.destroy();
      await testDb.dispose();
    }
  });
});
