import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import type { Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { readmeBashBlocks } from '../support/readme.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface WalkThroughCommand {
  method: string;
  /** The path after `$BASE`, its shell variables still in it. */
  path: string;
  body: string | undefined;
  /** The shell variable the answer is captured in (`ANN=$(curl …| jq -r .id)`), with its jq filter. */
  capture?: { name: string; filter: string };
}

/** The curl commands under /v1/wholesale and /v1/billing of README's walk-through and its "When you are done", in order. */
function walkThroughCommands(): WalkThroughCommand[] {
  const script = [...readmeBashBlocks('## A five-minute walk-through'), ...readmeBashBlocks('## When you are done')].join('\n');
  // A command runs on while a single-quoted body is open.
  const commands: string[] = [];
  for (const line of script.split('\n')) {
    const last = commands.at(-1);
    if (last !== undefined && (last.split("'").length - 1) % 2 === 1) commands[commands.length - 1] = `${last}\n${line}`;
    else commands.push(line);
  }
  return commands
    .filter((cmd) => /\$BASE\/v1\/(wholesale|billing)\//.test(cmd))
    .map((cmd) => {
      const dataAt = cmd.indexOf(" -d '");
      // The body ends at its first `}'` (a jq filter may follow).
      const body = dataAt < 0 ? undefined : cmd.slice(dataAt + 5, cmd.indexOf("}'", dataAt) + 1);
      const capture = /(\w+)=\$\(curl [\s\S]*\| jq -r (?:'([^']+)'|([^\s')]+))\)/.exec(cmd);
      return {
        method: /-X (\w+)/.exec(cmd)?.[1] ?? (body === undefined ? 'GET' : 'POST'),
        path: /"\$BASE([^"]+)"/.exec(cmd)![1]!,
        body,
        ...(capture ? { capture: { name: capture[1]!, filter: (capture[2] ?? capture[3])! } } : {}),
      };
    });
}

/** What `jq -r <filter>` prints for the filters the walk-through uses to keep ids. */
function jqValue(filter: string, answer: Body): string {
  if (filter === '.id') return answer.id;
  if (filter === '.status') return answer.status;
  if (filter === '.url | split("/") | last') return String(answer.url).split('/').pop()!;
  if (filter === '.items[0].provisioningId') return answer.items[0].provisioningId;
  throw new Error(`the walk-through uses the jq filter ${filter}: teach this test what it prints`);
}

/** README's walk-through, run as written (its shell variables filled in), bills exactly the time that passed. */
describe(`README walk-through bills what happened on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-11-02T09:00:00Z' });
  });
  afterAll(() => h.close());

  it('bills each subscriber, add-on and workspace for the days it was held, nothing before it existed', async () => {
    const commands = walkThroughCommands();
    expect(commands.map((c) => `${c.method} ${c.path.split('?')[0]}`)).toEqual([
      'GET /v1/wholesale/onboardingTemplates',
      'POST /v1/wholesale/customers',
      'GET /v1/wholesale/customers/$CUSTOMER',
      'GET /v1/wholesale/customers',
      'POST /v1/wholesale/subscribers',
      'GET /v1/wholesale/customers/$CUSTOMER/locations',
      'POST /v1/wholesale/subscribers',
      'POST /v1/wholesale/workspaces',
      'PUT /v1/wholesale/subscribers/$BOB',
      'DELETE /v1/wholesale/subscribers/$BOB',
      'GET /v1/wholesale/subscribers',
      'GET /v1/billing/invoices',
      'DELETE /v1/wholesale/customers/$CUSTOMER',
    ]);
    // Time between the steps, as a back office would take it: the subscribers and the workspace an
    // hour after the customer, Bob's package change two days later, his removal a day after that,
    // and the customer's deletion ("When you are done") at once.
    const waitBefore = [0, 0, 0, 0, HOUR, 0, 0, 0, 2 * DAY, DAY, 0, 0, 0];
    const vars: Record<string, string> = {};
    const fill = (text: string, quoted: boolean) =>
      text
        .replace(/\$\(date -u \+%Y-%m\)/g, h.clock.now().toISOString().slice(0, 7))
        .replace(quoted ? /'\$(\w+)'/g : /\$(\w+)/g, (_, name: string) => {
          if (vars[name] === undefined) throw new Error(`$${name} is used before the walk-through keeps it`);
          return vars[name]!;
        });
    for (const [i, c] of commands.entries()) {
      h.clock.advance(waitBefore[i]!);
      const path = fill(c.path, false);
      const body = c.body === undefined ? undefined : fill(c.body, true);
      const res = await h.call(c.method, path, body === undefined ? undefined : JSON.parse(body));
      expect(res.status, `${c.method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      if (c.capture) vars[c.capture.name] = jqValue(c.capture.filter, (await res.json()) as Body);
      // "poll until provisioned": the worker provisions the customer.
      await h.worker.drain();
    }
    const ids = { customer: vars.CUSTOMER, ann: vars.ANN, bob: vars.BOB, workspace: vars.WORKSPACE };
    expect(
      Object.values(ids).every((id) => typeof id === 'string' && id.length > 0),
      JSON.stringify(ids),
    ).toBe(true);

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
