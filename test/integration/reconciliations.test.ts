import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingFile } from '../../src/bot/bot-command.js';
import { handleMessage } from '../../src/bot/handle-message.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { classifyLine, differenceMinor } from '../../src/domain/reconciliation.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv, toUnits } from '../support/csv.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Cisco's report, real-shaped: the desk's own October report downloaded, then reshaped the way
 * files arrive (columns shuffled, an unknown column, a BOM, CRLF, quoted commas) with planted
 * differences; the reconciliation must find exactly those.
 */
describe(`billing reconciliation on ${testDbKind()}`, () => {
  let h: TestHarness;
  const subs: Record<string, Body> = {};
  const desk: Record<string, Record<string, string>[]> = {};

  /** Added now (the test clock): no back-dating, so the ledger holds exactly the time that passed. */
  const addSub = async (key: string, customerId: string, pkg: string) => {
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: `${key}@recon.example`,
      packages: [pkg],
      provisioningParameters: { firstName: key, lastName: 'Test', extension: String(3000 + Object.keys(subs).length) },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await h.worker.drain();
    subs[key] = await res.json();
  };

  /** The desk's own report of a type for October, as Cisco would send it (header and rows). */
  async function deskReport(type: string): Promise<Record<string, string>[]> {
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-10-01',
      billingEndDate: '2026-10-31',
      type,
    });
    const id = (await res.json()).id;
    await h.worker.drain();
    const url = new URL((await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json()).tempDownloadURL);
    return parseCsv(await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text());
  }

  /** Rows as a CSV the way files arrive: shuffled columns plus NOTES, BOM, CRLF, every field with a comma or quote quoted. */
  function toCiscoCsv(rows: Record<string, string>[], columns: string[]): string {
    const header = ['NOTES', ...[...columns].reverse()];
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = rows.map((r) => header.map((c) => quote(c === 'NOTES' ? 'checked, "twice"' : (r[c] ?? ''))).join(','));
    return `\uFEFF${header.join(',')}\r\n${lines.join('\r\n')}\r\n`;
  }

  const say = async (text: string, files?: IncomingFile[]) =>
    handleMessage(
      {
        useCases: h.useCases,
        actor: { partner: (await loadRootPartner(h.db))!, label: 'staff:op@partner.example', role: 'operator' },
        spaceId: 'space-r',
        deps: { now: h.clock.now(), uuid: nodeIds.uuid },
        files,
      },
      text,
      pino({ level: 'silent' }),
    );

  /** Cisco's USER file with the planted differences: bob off by 0.5, cid missing, eve under another package, one extra. */
  function plantedUserFile(): string {
    const user = desk.USER!;
    const of = (key: string) => user.find((r) => r.SUBSCRIBER_ID === subs[key]!.id)!;
    const cisco = [
      of('ann'),
      { ...of('bob'), QUANTITY: '16' },
      of('fay'),
      { ...of('eve'), SERVICE_NAME: 'WEBEX_SUITE' },
      { ...of('ann'), SUBSCRIBER_ID: '=HYPERLINK("http://x.example")', USER_ID: '', QUANTITY: '5' },
    ];
    return toCiscoCsv(cisco, Object.keys(user[0]!));
  }

  const upload = (csv: string, query = '') =>
    h.call('POST', `/v1/billing/reconciliations?billingStartDate=2026-10-01&billingEndDate=2026-10-31${query}`, csv, {
      headers: { 'content-type': 'text/csv' },
    });

  async function allLines(id: string): Promise<Body[]> {
    const res = await h.call('GET', `/v1/billing/reconciliations/${id}/lines?max=1000`);
    expect(res.status).toBe(200);
    return (await res.json()).items;
  }

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-09-01T00:00:00Z' });
    const templateId = await defaultTemplateId(h);
    const alder = await provisionCustomer(h, customerBody(templateId, { externalId: 'alder' }));
    const birch = await provisionCustomer(
      h,
      customerBody(templateId, { externalId: 'birch, ltd', customerInfo: { name: 'Birch Bakery', primaryEmail: 'owner@birch.example' } }),
    );
    await addSub('ann', alder.id, 'webex_calling');
    await addSub('cid', alder.id, 'webex_calling');
    await addSub('eve', birch.id, 'webex_meetings');
    await addSub('fay', birch.id, 'webex_calling');
    h.clock.set('2026-10-11T00:00:00Z');
    expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(subs.cid!.id)}`)).status).toBe(204);
    await h.worker.drain();
    h.clock.set('2026-10-16T12:00:00Z');
    await addSub('bob', alder.id, 'webex_meetings');
    h.clock.set('2026-11-15T12:00:00Z');
    // 31.00 and 15.50 a month: in October a licence-day costs 1.00 and 0.50. No price for webex_suite.
    const price = await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 3100 },
        { package: 'webex_meetings', monthlyPrice: 1550 },
      ],
    });
    expect(price.status, await price.clone().text()).toBe(200);
    for (const type of ['USER', 'CUSTOMER', 'PARTNER']) desk[type] = await deskReport(type);
  });
  afterAll(() => h.close());

  it('finds exactly the planted differences in a USER file, and nothing else', async () => {
    const user = desk.USER!;
    expect(user).toHaveLength(5);
    const of = (key: string) => user.find((r) => r.SUBSCRIBER_ID === subs[key]!.id)!;
    expect([of('ann').QUANTITY, of('bob').QUANTITY, of('cid').QUANTITY]).toEqual(['31', '15.5', '10']);
    const res = await upload(plantedUserFile());
    expect(res.status, await res.clone().text()).toBe(201);
    const summary = await res.json();
    expect(res.headers.get('location')).toBe(`http://desk.test/v1/billing/reconciliations/${summary.id}`);
    expect(summary).toMatchObject({
      type: 'USER',
      billingStartDate: '2026-10-01',
      billingEndDate: '2026-10-31',
      tolerance: '0.0001',
      fileLines: 5,
      currency: 'USD',
      priceFrom: '2026-01-01',
      source: 'upload',
      classes: {
        match: { lines: 2 },
        quantity_difference: { lines: 1, units: '0.5', moneyAtStake: '0.25' },
        only_cisco: { lines: 2, units: '36', moneyAtStake: '5.00' },
        only_desk: { lines: 2, units: '-41', moneyAtStake: '25.50' },
      },
      // 0.25 (bob) + 5.00 (the extra) + 10.00 (cid) + 15.50 (eve's meetings); eve's suite has no price.
      moneyAtStake: '30.75',
      unpricedDifferences: 1,
    });
    expect(summary.packages).toEqual([
      expect.objectContaining({ package: 'webex_calling', difference: '-5', differences: 2, customers: 1, netMoney: '-5.00' }),
      expect.objectContaining({ package: 'webex_meetings', difference: '-30.5', differences: 2, customers: 2, netMoney: '-15.25' }),
      expect.objectContaining({ package: 'webex_suite', difference: '31', differences: 1, customers: 1, moneyAtStake: '0.00' }),
    ]);
    expect(summary.customers.map((c: Body) => [c.customer, c.differences, c.moneyAtStake])).toEqual([
      ['birch, ltd', 2, '15.50'],
      ['alder', 3, '15.25'],
    ]);

    const lines = await allLines(summary.id);
    const byClass = (cls: string) =>
      lines
        .filter((l) => l.class === cls)
        .map((l) => [l.subscriberOrWorkspaceId, l.package, l.ciscoQuantity, l.deskQuantity, l.difference, l.amount]);
    expect(byClass('match').sort()).toEqual(
      [
        [subs.ann!.id, 'webex_calling', '31', '31', '0', '0.00'],
        [subs.fay!.id, 'webex_calling', '31', '31', '0', '0.00'],
      ].sort(),
    );
    expect(byClass('quantity_difference')).toEqual([[subs.bob!.id, 'webex_meetings', '16', '15.5', '0.5', '0.25']]);
    expect(byClass('only_cisco').sort()).toEqual(
      [
        ['=HYPERLINK("http://x.example")', 'webex_calling', '5', null, '5', '5.00'],
        [subs.eve!.id, 'webex_suite', '31', null, '31', null],
      ].sort(),
    );
    expect(byClass('only_desk').sort()).toEqual(
      [
        [subs.cid!.id, 'webex_calling', null, '10', '-10', '-10.00'],
        [subs.eve!.id, 'webex_meetings', null, '31', '-31', '-15.50'],
      ].sort(),
    );

    // The SQL that classified and priced every line applies the domain's rules exactly.
    for (const l of lines) {
      const c = l.ciscoQuantity === null ? null : toUnits(l.ciscoQuantity);
      const d = l.deskQuantity === null ? null : toUnits(l.deskQuantity);
      const classified = classifyLine(c, d, 1);
      expect(classified.class).toBe(l.class);
      const price = { webex_calling: 3100, webex_meetings: 1550 }[l.package as string];
      if (price !== undefined) expect(l.amount).toBe((differenceMinor(classified, price, 31) / 100).toFixed(2));
    }

    const page = await h.call('GET', `/v1/billing/reconciliations/${summary.id}/lines?class=only_cisco,only_desk&max=3`);
    expect((await page.json()).items.map((l: Body) => l.class).every((c: string) => c.startsWith('only_'))).toBe(true);
    expect(page.headers.get('link')).toMatch(/class=only_cisco%2Conly_desk&max=3&offset=3>; rel="next"$/);

    const csv = await h.call('GET', `/v1/billing/reconciliations/${summary.id}/differences`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const rows = parseCsv(text);
    expect(rows).toHaveLength(5);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(rows.find((r) => r.CLASS === 'only_cisco' && r.SERVICE_NAME === 'WEBEX_CALLING')!.SUBSCRIBER_OR_WORKSPACE_ID).toBe(
      `'=HYPERLINK("http://x.example")`,
    );
    expect(rows.find((r) => r.CLASS === 'quantity_difference')).toMatchObject({
      CUSTOMER: 'alder',
      CISCO_QUANTITY: '16',
      DESK_QUANTITY: '15.5',
      DIFFERENCE: '0.5',
      AMOUNT: '0.25',
      CURRENCY: 'USD',
    });
  });

  it('reconciles the desk’s own USER, CUSTOMER and PARTNER reports with no difference', async () => {
    for (const type of ['USER', 'CUSTOMER', 'PARTNER']) {
      const rows = desk[type]!;
      const res = await upload(toCiscoCsv(rows, Object.keys(rows[0]!)));
      expect(res.status, await res.clone().text()).toBe(201);
      const s = await res.json();
      expect(s.type).toBe(type);
      expect(s.classes.match.lines, type).toBe(rows.length);
      expect([s.classes.quantity_difference.lines, s.classes.only_cisco.lines, s.classes.only_desk.lines], type).toEqual([0, 0, 0]);
      expect(s.moneyAtStake).toBe('0.00');
    }
  });

  it('matches CUSTOMER and PARTNER files at their level', async () => {
    const customer = desk.CUSTOMER!.map((r) =>
      r.CUSTOMER_EXTERNAL_ID === 'alder' && r.SERVICE_NAME === 'WEBEX_CALLING' ? { ...r, QUANTITY: '40.5' } : r,
    );
    const c = await (await upload(toCiscoCsv(customer, Object.keys(customer[0]!)))).json();
    const cLines = (await allLines(c.id)).filter((l) => l.class !== 'match');
    expect(cLines).toEqual([
      expect.objectContaining({
        class: 'quantity_difference',
        package: 'webex_calling',
        customer: 'alder',
        difference: '-0.5',
        amount: '-0.50',
      }),
    ]);
    expect(cLines[0]!.customerOrgId).toBeTruthy();
    expect(cLines[0]!.locationId).toBeTruthy();

    const partner = [...desk.PARTNER!, { ...desk.PARTNER![0]!, SERVICE_NAME: 'WEBEX_SUITE', QUANTITY: '3' }];
    const p = await (await upload(toCiscoCsv(partner, Object.keys(partner[0]!)))).json();
    expect(p.type).toBe('PARTNER');
    expect(p.classes).toMatchObject({ match: { lines: 2 }, only_cisco: { lines: 1, units: '3' } });
    expect(p.customers).toEqual([]);
  });

  it('a tolerance of 0.5 lets the half-day difference match', async () => {
    const user = desk.USER!.map((r) => (r.SUBSCRIBER_ID === subs.bob!.id ? { ...r, QUANTITY: '16' } : r));
    const s = await (await upload(toCiscoCsv(user, Object.keys(user[0]!)), '&tolerance=0.5')).json();
    expect(s.tolerance).toBe('0.5');
    expect(s.classes.match.lines).toBe(5);
    expect(s.classes.quantity_difference.lines).toBe(0);
  });

  it('refuses a file missing a column by name, and stores nothing', async () => {
    const before = (await (await h.call('GET', '/v1/billing/reconciliations?max=1000')).json()).items.length;
    const columns = Object.keys(desk.USER![0]!).filter((c) => c !== 'SUBSCRIBER_ID');
    const res = await upload(toCiscoCsv(desk.USER!, columns));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toEqual([
      {
        errorCode: 2040,
        description: expect.stringMatching(/^not a Webex billing report: missing column\(s\) SUBSCRIBER_ID \(a USER report needs /),
      },
    ]);
    expect((await (await h.call('GET', '/v1/billing/reconciliations?max=1000')).json()).items).toHaveLength(before);
  });

  it('refuses a file that is not UTF-8, naming the line and byte of the first bad sequence, and stores nothing', async () => {
    const before = (await (await h.call('GET', '/v1/billing/reconciliations?max=1000')).json()).items.length;
    const lines = toCiscoCsv(desk.USER!, Object.keys(desk.USER![0]!)).split('\n');
    const encode = (text: string) => [...new TextEncoder().encode(text)];
    // A Latin-1 "é" (0xE9) at the end of line 3, as an old spreadsheet saves it.
    const latin1 = Uint8Array.from([
      ...encode(`${lines.slice(0, 2).join('\n')}\n`),
      ...encode(lines[2]!),
      0xe9,
      ...encode(`\n${lines.slice(3).join('\n')}`),
    ]);
    const res = await h.app.request('/v1/billing/reconciliations?billingStartDate=2026-10-01&billingEndDate=2026-10-31', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: latin1,
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toEqual([
      {
        errorCode: 2040,
        description: `line 3, byte ${encode(lines[2]!).length + 1}: not UTF-8 (0xE9); save the file as UTF-8 (in Excel: CSV UTF-8) and send it again`,
      },
    ]);
    expect((await (await h.call('GET', '/v1/billing/reconciliations?max=1000')).json()).items).toHaveLength(before);
  });

  it('refuses another period’s file, a bad period, the wrong content type, and unknown ids', async () => {
    const rows = desk.USER!.map((r) => ({ ...r, CONSUMPTION_START_DATE: '2026-09-30' }));
    const other = await upload(toCiscoCsv(rows, Object.keys(rows[0]!)));
    expect(other.status).toBe(400);
    expect((await other.json()).errors[0].description).toMatch(/^line 2: CONSUMPTION_START_DATE 2026-09-30 is outside the period/);
    const future = await h.call('POST', '/v1/billing/reconciliations?billingStartDate=2026-11-01&billingEndDate=2026-11-30', 'x', {
      headers: { 'content-type': 'text/csv' },
    });
    expect(future.status).toBe(400);
    const json = await h.call('POST', '/v1/billing/reconciliations?billingStartDate=2026-10-01&billingEndDate=2026-10-31', {});
    expect(json.status).toBe(415);
    expect((await h.call('GET', '/v1/billing/reconciliations/nope')).status).toBe(404);
    expect((await h.call('GET', '/v1/billing/reconciliations/nope/lines')).status).toBe(404);
    expect((await h.call('GET', '/v1/billing/reconciliations/nope/differences')).status).toBe(404);
  });

  it('lists reconciliations newest first', async () => {
    const res = await h.call('GET', '/v1/billing/reconciliations?max=2');
    const body = await res.json();
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ billingStartDate: '2026-10-01', source: 'upload' });
    expect(res.headers.get('link')).toMatch(/rel="next"/);
  });

  it('reconciles from chat: a summary with the largest differences, the CSV attached, and the monthly digest line per package', async () => {
    expect((await say('reconcile october')).markdown).toContain("attach Cisco's billing report (CSV) to the message");
    h.clock.advance(60_000);
    const reply = await say('reconcile october', [{ name: 'cisco-oct.csv', content: new TextEncoder().encode(plantedUserFile()) }]);
    expect(reply.markdown).toContain(
      "**Reconciliation of Cisco's USER report, 2026-10-01 to 2026-10-31** (5 lines in cisco\\-oct.csv): 2 match",
    );
    expect(reply.markdown).toContain(
      "1 quantity differs, 2 only in Cisco's file, 2 only in our ledger; money at stake USD 30.75 (1 without a price)",
    );
    expect(reply.markdown).toContain('- Cisco billed 31 units of webex\\_suite more than our ledger, across 1 customer');
    expect(reply.markdown).toContain('- Cisco billed 30.5 units of webex\\_meetings less than our ledger, across 2 customers');
    // The largest by money first: eve's meetings (15.50), then cid (10.00).
    const largest = reply.markdown.split('**Largest differences:**\n')[1]!.split('\n');
    expect(largest[0]).toContain(`${subs.eve!.id} webex_meetings: only in our ledger, Cisco –, ours 31, USD -15.50`);
    expect(largest[1]).toContain(`${subs.cid!.id} webex_calling: only in our ledger`);
    expect(reply.files).toHaveLength(1);
    expect(parseCsv(String(reply.files![0]!.content))).toHaveLength(5);

    const digest = await say('digest now monthly');
    expect(digest.markdown).toContain("**Cisco's report against our ledger**");
    expect(digest.markdown).toContain('- Cisco billed 5 units of webex\\_calling less than our ledger, across 1 customer');
    expect(digest.markdown).toContain('- Cisco billed 31 units of webex\\_suite more than our ledger, across 1 customer');
  });
});
