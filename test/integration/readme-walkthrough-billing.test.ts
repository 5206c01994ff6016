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

  it('bills the subscriber for its two days of calling and one of meetings, nothing before it existed', async () => {
    const commands = walkThroughCommands();
    expect(commands.map((c) => `${c.method} ${c.path.split('?')[0]}`)).toEqual([
      'POST /v1/wholesale/customers',
      'GET /v1/wholesale/customers',
      'POST /v1/wholesale/subscribers',
      'PUT /v1/wholesale/subscribers/<id>',
      'DELETE /v1/wholesale/subscribers/<id>',
      'DELETE /v1/wholesale/customers/<id>',
    ]);
    const templateId = await defaultTemplateId(h);
    // Time between the steps, as a back office would take it: the subscriber an hour after the
    // customer, the package change two days later, the removal a day after that.
    const waitBefore = [0, 0, HOUR, 2 * DAY, DAY, 0];
    const ids: { customer?: string; subscriber?: string } = {};
    for (const [i, c] of commands.entries()) {
      h.clock.advance(waitBefore[i]!);
      const path = c.path.replace('<id>', encodeURIComponent((c.path.includes('/subscribers/') ? ids.subscriber : ids.customer) ?? ''));
      const body = c.body?.replace(`'$PROV'`, templateId).replace('"<id>"', JSON.stringify(ids.customer ?? ''));
      const res = await h.call(c.method, path, body === undefined ? undefined : JSON.parse(body));
      expect(res.status, `${c.method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      if (c.method === 'POST' && path === '/v1/wholesale/customers')
        ids.customer = decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!);
      if (c.method === 'POST' && path === '/v1/wholesale/subscribers') ids.subscriber = ((await res.json()) as Body).id;
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
    expect(rows.map((r) => [r.SUBSCRIBER_ID, r.SERVICE_NAME, r.CONSUMPTION_START_DATE, r.CONSUMPTION_END_DATE, r.QUANTITY])).toEqual([
      [ids.subscriber, 'WEBEX_CALLING', '2026-11-02', '2026-11-04', '2'],
      [ids.subscriber, 'WEBEX_MEETINGS', '2026-11-04', '2026-11-05', '1'],
    ]);

    // The month's invoice to date says the same (no price book here: the usage is listed unpriced).
    const invoice = await (
      await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(ids.customer!)}&month=2026-11`)
    ).json();
    expect(invoice).toMatchObject({
      provisional: true,
      through: '2026-11-09',
      lines: [],
      unpriced: [
        { package: 'webex_calling', quantity: '2' },
        { package: 'webex_meetings', quantity: '1' },
      ],
    });
  });
});
