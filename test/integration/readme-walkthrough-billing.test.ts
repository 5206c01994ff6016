import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The curl commands of README's "A walk through the API", each with its method, path and body text. */
function walkThroughCommands(): { method: string; path: string; body: string | undefined }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## A walk through the API'));
  const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
  // A command runs on while a single-quoted body is open.
  const commands: string[] = [];
  for (const line of block.split('\n')) {
    const last = commands.at(-1);
    if (last !== undefined && (last.split("'").length - 1) % 2 === 1) commands[commands.length - 1] = `${last}\n${line}`;
    else if (line.startsWith('curl ')) commands.push(line);
  }
  return commands.map((cmd) => {
    const dataAt = cmd.indexOf(" -d '");
    const body = dataAt < 0 ? undefined : cmd.slice(dataAt + 5, cmd.lastIndexOf("'"));
    return {
      method: /-X (\w+)/.exec(cmd)?.[1] ?? (body === undefined ? 'GET' : 'POST'),
      path: /localhost:3000([^\s"']+)/.exec(cmd)![1]!,
      body,
    };
  });
}

/** README's walk-through, run as written (its placeholders filled in), bills exactly the time that passed. */
describe(`README walk-through bills what happened on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-11-02T09:00:00Z' });
  });
  afterAll(() => h.close());

  it('bills each subscriber, add-on and workspace for the days it was held, nothing before it existed', async () => {
    const commands = walkThroughCommands();
    expect(commands.map((c) => `${c.method} ${c.path.split('?')[0]}`)).toEqual([
      'POST /v1/wholesale/customers',
      'GET /v1/wholesale/customers',
      'POST /v1/wholesale/subscribers',
      'GET /v1/wholesale/customers/<id>/locations',
      'POST /v1/wholesale/subscribers',
      'POST /v1/wholesale/workspaces',
      'PUT /v1/wholesale/subscribers/<bob-id>',
      'DELETE /v1/wholesale/subscribers/<bob-id>',
      'DELETE /v1/wholesale/customers/<id>',
    ]);
    const templateId = await defaultTemplateId(h);
    // Time between the steps, as a back office would take it: the subscribers and the workspace an
    // hour after the customer, Bob's package change two days later, his removal a day after that,
    // and the customer's deletion at once.
    const waitBefore = [0, 0, HOUR, 0, 0, 0, 2 * DAY, DAY, 0];
    const ids: { customer?: string; ann?: string; bob?: string; workspace?: string } = {};
    for (const [i, c] of commands.entries()) {
      h.clock.advance(waitBefore[i]!);
      const path = c.path.replace('<bob-id>', encodeURIComponent(ids.bob ?? '')).replace('<id>', encodeURIComponent(ids.customer ?? ''));
      const body = c.body?.replace(`'$PROV'`, templateId).replace('"<id>"', JSON.stringify(ids.customer ?? ''));
      const res = await h.call(c.method, path, body === undefined ? undefined : JSON.parse(body));
      expect(res.status, `${c.method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      if (c.method === 'POST' && path === '/v1/wholesale/customers')
        ids.customer = decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!);
      if (c.method === 'POST' && path === '/v1/wholesale/subscribers') {
        const created = (await res.json()) as Body;
        if (ids.ann === undefined) ids.ann = created.id;
        else ids.bob = created.id;
      }
      if (c.method === 'POST' && path === '/v1/wholesale/workspaces') ids.workspace = ((await res.json()) as Body).id;
      // "poll until provisioned": the worker provisions the customer.
      await h.worker.drain();
    }

    h.clock.set('2026-11-10T08:00:00Z');
    const created = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-11-01',
      billingEndDate: '2026-11-09',
      type: 'USER',
    });
    const { id } = await created.json();
    await h.worker.drain();
    const report = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
    const url = new URL(report.tempDownloadURL);
    const rows = parseCsv(await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text());
    const byKey = (a: string[], b: string[]) => a.join('|').localeCompare(b.join('|'));
    // Ann (the admin) and the lobby until the customer is deleted (11-02 10:00 to 11-05 10:00); Bob's
    // calling and Attendant Console until his change, then meetings for the day until his removal.
    expect(
      rows
        .map((r) => [r.SUBSCRIBER_ID || r.WORKSPACE_ID!, r.SERVICE_NAME!, r.CONSUMPTION_START_DATE!, r.CONSUMPTION_END_DATE!, r.QUANTITY!])
        .sort(byKey),
    ).toEqual(
      [
        [ids.ann!, 'WEBEX_CALLING', '2026-11-02', '2026-11-05', '3'],
        [ids.bob!, 'WEBEX_CALLING', '2026-11-02', '2026-11-04', '2'],
        [ids.bob!, 'ATTENDANT_CONSOLE', '2026-11-02', '2026-11-04', '2'],
        [ids.bob!, 'WEBEX_MEETINGS', '2026-11-04', '2026-11-05', '1'],
        [ids.workspace!, 'COMMON_AREA_CALLING', '2026-11-02', '2026-11-05', '3'],
      ].sort(byKey),
    );

    // The month's invoice to date says the same (no price book here: the usage is listed unpriced).
    const invoice = await (
      await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(ids.customer!)}&month=2026-11`)
    ).json();
    expect(invoice).toMatchObject({ provisional: true, through: '2026-11-09', lines: [] });
    expect(invoice.unpriced).toHaveLength(4);
    expect(invoice.unpriced).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ package: 'webex_calling', quantity: '5' }),
        expect.objectContaining({ package: 'attendant_console', quantity: '2' }),
        expect.objectContaining({ package: 'webex_meetings', quantity: '1' }),
        expect.objectContaining({ package: 'common_area_calling', quantity: '3' }),
      ]),
    );
  });
});
