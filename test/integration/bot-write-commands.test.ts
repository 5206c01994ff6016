import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext, BotReply, IncomingFile, StaffRole } from '../../src/bot/bot-command.js';
import { handleCardSubmission, handleMessage } from '../../src/bot/handle-message.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { parseCsv } from '../support/csv.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const log = pino({ level: 'silent' });

describe(`bot write commands on ${testDbKind()}`, () => {
  let h: TestHarness;
  let progress: string[] = [];
  let elapsed = 0;
  const ctxFor = async (role: StaffRole, files?: IncomingFile[]): Promise<BotContext> => ({
    useCases: h.useCases,
    actor: { partner: (await loadRootPartner(h.db))!, label: `staff:${role}@partner.example`, role },
    spaceId: 'space-w',
    deps: { now: h.clock.now(), uuid: nodeIds.uuid },
    files,
    progress: async (m) => void progress.push(m),
    // Each call moves the fake clock 3 s: a progress message is due about every fourth row.
    elapsedMs: () => (elapsed += 3_000),
  });
  const say = async (text: string, role: StaffRole = 'operator', files?: IncomingFile[]) =>
    handleMessage(await ctxFor(role, files), text, log);
  const press = async (inputs: Record<string, string>, role: StaffRole = 'operator') =>
    handleCardSubmission(await ctxFor(role), inputs, log);
  const cardInputs = (reply: BotReply) => {
    const body = reply.card!.body as { id?: string; value?: string }[];
    return Object.fromEntries(body.filter((b) => b.id).map((b) => [b.id!, b.value ?? '']));
  };
  const csvFile = (text: string): IncomingFile[] => [{ name: 'users.csv', content: new TextEncoder().encode(text) }];

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
  });
  afterAll(() => h.close());

  it('provisions a customer from one line, with the defaults of the partner template', async () => {
    const reply = await say(
      'provision customer "Alder Dental" email IT@alder.example country us packages webex_calling,webex_meetings address "771 Alder Drive" city Milpitas state CA zip 95035 timezone America/Los_Angeles',
    );
    expect(reply.markdown).toContain('Accepted **Alder Dental** (alder\\-dental) with Webex Calling, Webex Meetings');
    await h.worker.drain();
    const c = await h.db.selectFrom('customers').selectAll().where('external_id', '=', 'alder-dental').executeTakeFirstOrThrow();
    expect(c).toMatchObject({ name: 'Alder Dental', primary_email: 'it@alder.example', status: 'provisioned', org_country: 'US' });
    expect(
      (
        await say(
          'provision customer "Alder Dental" email IT@alder.example country us packages webex_calling,webex_meetings address "771 Alder Drive" city Milpitas state CA zip 95035 timezone America/Los_Angeles',
        )
      ).markdown,
    ).toContain('was already accepted');
  });

  it('refuses a customer name with a bidirectional override from chat, and provisions nothing', async () => {
    const reply = await say(
      'provision customer "Evil\u202Egnp.exe" email it@evil.example country us packages webex_meetings address "1 Main St" city Milpitas state CA zip 95035',
    );
    expect(JSON.stringify(reply)).toContain('must not contain control characters or bidirectional-override characters');
    expect(reply.markdown).not.toContain('Accepted');
    expect(await h.db.selectFrom('customers').select('id').where('primary_email', '=', 'it@evil.example').execute()).toEqual([]);
  });

  it('opens a prefilled form when arguments are missing, and a submitted form goes through the same pipeline', async () => {
    const reply = await say('provision customer "Brook Law" country GB packages webex_meetings');
    expect(reply.markdown).toContain('fill in the form');
    expect(reply.card).toMatchObject({ type: 'AdaptiveCard', version: '1.3' });
    const values = cardInputs(reply);
    expect(values).toMatchObject({ name: 'Brook Law', country: 'GB', packages: 'webex_meetings', email: '' });
    expect(JSON.stringify(reply.card)).toContain('give the street address');
    // A viewer pressing Submit is refused like a typed command.
    expect((await press({ ...values, _command: 'provision customer' }, 'viewer')).markdown).toContain('needs the operator role');
    const stillMissing = await press({ ...values, _command: 'provision customer', email: 'it@brook.example' });
    expect(stillMissing.card).toBeDefined();
    const done = await press({
      ...values,
      _command: 'provision customer',
      email: 'it@brook.example',
      address: '1 Fleet St',
      city: 'London',
      zip: 'EC4Y 1AA',
    });
    expect(done.markdown).toContain('Accepted **Brook Law** (brook\\-law)');
    // A rule the domain checks (not the form) comes back with the form to fix it.
    const rule = await say(
      'provision customer "Cobalt" email it@alder.example country US packages webex_meetings address "1 Main" city Reno state NV zip 89501',
    );
    expect(rule.markdown).toContain('already associated with an existing customer');
    expect(rule.card).toBeDefined();
    expect((await press({ _command: 'no such command' })).markdown).toContain('not one I know');
  });

  it('adds a user after confirmation, prechecks, and changes a package after confirmation', async () => {
    expect((await say('precheck user ann@alder.example to "alder dental"', 'viewer')).markdown).toContain('can be added');
    const proposal = await say('add user ann@alder.example to "Alder Dental" package webex_calling first Ann last Lee extension 1001');
    expect(proposal.markdown).toContain('Their billing starts now.');
    expect(proposal.card?.actions).toHaveLength(2);
    expect(await h.db.selectFrom('subscribers').select('id').where('email', '=', 'ann@alder.example').executeTakeFirst()).toBeUndefined();
    const added = await press({ _answer: 'yes' });
    expect(added.markdown).toContain('Added **ann@alder.example** to Alder Dental with Webex Calling');
    expect((await say('precheck user ann@alder.example to alder-dental')).markdown).toContain('cannot be added');
    const missing = await say('add user bob@alder.example to alder-dental');
    expect(missing.card).toBeDefined();
    expect(cardInputs(missing)).toMatchObject({ email: 'bob@alder.example', customer: 'alder-dental' });

    expect((await say('change package ann@alder.example to webex_calling')).markdown).toContain('already has Webex Calling');
    expect((await say('change package ann@alder.example to warp_drive')).markdown).toContain('is not a package');
    // Changes that will certainly fail are refused at once, never proposed.
    expect((await say('change package ann@alder.example to webex_suite')).markdown).toContain('is not one of the customer');
    // Ann is Alder Dental's first subscriber, so its full admin: webex_meetings lacks calling, a downgrade.
    const downgrade = await say('change package ann@alder.example to webex_meetings');
    expect(downgrade.markdown).toContain('cannot be downgraded from webex\\_calling to webex\\_meetings');
    expect(downgrade.card).toBeUndefined();
    expect((await say('yes')).markdown).toContain('Nothing is waiting for your confirmation');
    const sub = await h.db.selectFrom('subscribers').select('package').where('email', '=', 'ann@alder.example').executeTakeFirstOrThrow();
    expect(sub.package).toBe('webex_calling');
  });

  it('answers an invoice with its CSV attached', async () => {
    await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 3000 },
        { package: 'webex_suite', monthlyPrice: 4500 },
        { package: 'webex_meetings', monthlyPrice: 1500 },
      ],
    });
    h.clock.advance(20 * 86_400_000); // 5 July: June is over
    const reply = await say('invoice "alder dental" june');
    expect(reply.markdown).toContain('**Invoice Alder Dental, June 2026**');
    expect(reply.markdown).toMatch(/Total: \*\*\d+\.\d\d USD\*\*/);
    // Each line shows its arithmetic: licence-days ÷ the month's 30 days × the price = the amount.
    expect(reply.markdown).toMatch(/- Webex Calling: [\d.,]+ licence-days ÷ 30 days [=≈] [\d.,]+ × 30\.00 = [\d.,]+ USD/);
    const rows = parseCsv(String(reply.files![0]!.content));
    expect(rows.at(-1)).toMatchObject({ SERVICE_NAME: 'TOTAL', CURRENCY: 'USD' });
    expect((await say('invoice alder-dental')).markdown).toContain('end with a month');
  });

  it('imports users from a CSV: every row checked first, progress while it runs, and a re-run changes nothing', async () => {
    const bad = await say(
      'import users',
      'operator',
      csvFile(
        'email,customer,package,first_name,last_name,extension\nnot-an-email,alder-dental,webex_calling,A,B,1\nc1@alder.example,alder-dental,webex_calling,,B,12\nc1@alder.example,alder-dental,webex_calling,C,D,13\n',
      ),
    );
    expect(bad.markdown).toContain('line 2: email');
    expect(bad.markdown).toContain('line 3: firstName');
    expect(bad.markdown).toContain('line 4: c1@alder.example is already on line 3');
    expect((await say('import users')).markdown).toContain('attach a CSV file');
    expect((await say('import users', 'operator', csvFile('mail,who\nx,y\n'))).markdown).toContain('unknown columns mail, who');
    // A file saved in Latin-1: where the first non-UTF-8 byte is, not only that there is one.
    const latin1 = new TextEncoder().encode(
      'email,customer,package,first_name,last_name\nz@x.example,alder-dental,webex_meetings,Ren?,Z\n',
    );
    latin1[latin1.indexOf(0x3f)] = 0xe9;
    expect((await say('import users', 'operator', [{ name: 'users.csv', content: latin1 }])).markdown).toContain(
      'line 2, byte 44: not UTF',
    );
    expect(
      (
        await say(
          'import users',
          'operator',
          csvFile('email,customer,package,first_name,last_name\nz@x.example,nobody-co,webex_meetings,Z,Z\n'),
        )
      ).markdown,
    ).toContain('line 2: No customer "nobody\\-co".');

    const rows = Array.from({ length: 12 }, (_, i) => `u${i}@alder.example,alder-dental,webex_calling,User,${i},${2000 + i}`);
    const file = csvFile(`email,customer,package,first_name,last_name,extension\n${rows.join('\n')}\n`);
    expect((await say('import users', 'operator', file)).markdown).toContain('Import **12 users** from users.csv into 1 customer?');
    progress = [];
    const done = await say('yes');
    expect(done.markdown).toContain('**12 users added** to 1 customer, 0 already there.');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatch(/Importing users\.csv: \d+ of 12 users written/);
    expect((await say('import users', 'operator', file)).markdown).toBe('Nothing to import: all 12 users in users.csv are already there.');

    // A big file's rows are summarised in the audit log, not copied into it.
    const many = Array.from({ length: 100 }, (_, i) => `m${i}@alder.example,alder-dental,webex_calling,Many,${i},${3000 + i}`);
    expect(
      (await say('import users', 'operator', csvFile(`email,customer,package,first_name,last_name,extension\n${many.join('\n')}\n`)))
        .markdown,
    ).toContain('Import **100 users**');
    const audit = await h.db
      .selectFrom('audit_log')
      .select('context')
      .where('action', '=', 'bot.command')
      .where('entity_id', '=', 'import users')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit.context).toMatchObject({
      result: 'proposed',
      args: { omitted: expect.stringMatching(/^\d+ bytes of arguments$/), keys: ['fileName', 'rows'] },
    });
    expect((await say('no')).markdown).toBe('Cancelled: nothing was changed.');
  });

  it('serves the console: card submissions, attached files and the dashboard', async () => {
    const form = await (await h.call('POST', '/v1/console/messages', { text: 'provision customer "Delta Co"' })).json();
    expect(form.replies.at(-1).attachments[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive' });
    const submitted = await (
      await h.call('POST', '/v1/console/messages', {
        cardInputs: {
          _command: 'provision customer',
          name: 'Delta Co',
          email: 'it@delta.example',
          country: 'DE',
          packages: 'webex_meetings',
          address: 'Hauptstr. 1',
          city: 'Berlin',
          zip: '10115',
        },
      })
    ).json();
    expect(submitted.replies[0].markdown).toContain('Accepted **Delta Co**');
    const imported = await (
      await h.call('POST', '/v1/console/messages', {
        text: 'import users',
        files: [
          { name: 'u.csv', content: 'email,customer,package,first_name,last_name\nd1@delta.example,delta-co,webex_meetings,D,One\n' },
        ],
      })
    ).json();
    expect(imported.replies[0].markdown).toContain('Import **1 user** from');
    expect((await h.call('POST', '/v1/console/messages', { cardInputs: { _answer: 'yes' } })).status).toBe(200);
    const dash = await (await h.call('GET', '/v1/console/dashboard')).json();
    expect(dash.customersByStatus.provisioning + (dash.customersByStatus.provisioned ?? 0)).toBeGreaterThanOrEqual(3);
    expect(dash.recentCustomers[0]).toMatchObject({ name: 'Delta Co' });
    expect(dash.billingThisMonth).toMatchObject({ month: '2026-07', currency: 'USD' });
    expect(
      dash.billingThisMonth.customers.find((c: { externalId: string }) => c.externalId === 'alder-dental').amountMinor,
    ).toBeGreaterThan(0);
  });

  describe('chat polish (issue 17)', () => {
    let customerId: string;
    const csv = (text: string): IncomingFile[] => [{ name: 'staff.csv', content: new TextEncoder().encode(text) }];
    const subscribersOf = async () =>
      (await h.db.selectFrom('subscribers').select('email').where('customer_id', '=', customerId).orderBy('email').execute()).map(
        (r) => r.email,
      );

    beforeAll(async () => {
      const c = await provisionCustomer(
        h,
        customerBody(await defaultTemplateId(h), {
          externalId: 'bravo-1',
          customerInfo: { name: 'Bravo Clinic', primaryEmail: 'it@bravo.example' },
        }),
      );
      customerId = c.id;
      await addSubscriber(h, customerId, 'first@bravo.example', 'webex_calling', {
        provisioningParameters: { firstName: 'First', lastName: 'Admin', extension: '2001' },
      });
    });

    it('refuses a command that will certainly fail at once, without asking to confirm it', async () => {
      const typo = await say('add user ann@bravo.example to "Bravo Clinic" package webex_callng first Ann last Lee extension 2002');
      expect(typo.markdown).toContain('I cannot add **ann@bravo.example**');
      expect(typo.markdown).toContain('webex\\_callng');
      expect(typo.markdown).not.toContain('Reply **yes**');
      expect(typo.card).toBeUndefined();
      expect((await say('yes')).markdown).toContain('Nothing is waiting for your confirmation');
      // The rules that need the database too: an extension another subscriber holds.
      const taken = await say('add user ann@bravo.example to bravo-1 package webex_calling first Ann last Lee extension 2001');
      expect(taken.markdown).toContain('extension 2001 is already held by first@bravo.example');
      expect(taken.card).toBeUndefined();
      // Bravo Clinic has no common_area_calling: a workspace is refused before any "yes?".
      const workspace = await say('add workspace "Lobby" to bravo-1 extension 2900');
      expect(workspace.markdown).toContain('I cannot add workspace **Lobby**');
      expect(workspace.card).toBeUndefined();
      // What can be done is still proposed.
      expect(
        (await say('add user ann@bravo.example to bravo-1 package webex_calling first Ann last Lee extension 2002')).markdown,
      ).toContain('Reply **yes**');
      expect((await say('no')).markdown).toBe('Cancelled: nothing was changed.');
      expect(await subscribersOf()).toEqual(['first@bravo.example']);
    });

    it('imports all or nothing: every bad row named, a customer named by name and by externalId counted once', async () => {
      const header = 'email,customer,package,first_name,last_name,extension\n';
      const bad = await say(
        'import users',
        'operator',
        csv(
          `${header}ok@bravo.example,Bravo Clinic,webex_calling,Ok,Row,2101\n` +
            'typo@bravo.example,bravo-1,webex_callng,Typo,Row,2102\n' +
            'taken@bravo.example,bravo clinic,webex_calling,Taken,Row,2001\n',
        ),
      );
      expect(bad.markdown).toContain('Nothing was imported: 2 rows cannot be added');
      expect(bad.markdown).toContain('line 3: ');
      expect(bad.markdown).toContain('webex\\_callng');
      expect(bad.markdown).toContain('line 4: extension 2001 is already held by first@bravo.example');
      expect(bad.markdown).not.toContain('line 2');
      expect(bad.card).toBeUndefined();
      expect(await subscribersOf()).toEqual(['first@bravo.example']);

      // Two rows claiming one extension of one customer, named two ways: the later row is named.
      const clash = await say(
        'import users',
        'operator',
        csv(`${header}a@bravo.example,Bravo Clinic,webex_calling,A,Row,2201\nb@bravo.example,bravo-1,webex_calling,B,Row,2201\n`),
      );
      expect(clash.markdown).toContain('Nothing was imported: 1 row cannot be added');
      expect(clash.markdown).toContain('line 3: extension 2201 is already held by a@bravo.example');

      const good = await say(
        'import users',
        'operator',
        csv(`${header}a@bravo.example,Bravo Clinic,webex_calling,A,Row,2201\nb@bravo.example,bravo-1,webex_meetings,B,Row,\n`),
      );
      expect(good.markdown).toContain('Import **2 users** from staff.csv into 1 customer?');
      expect((await say('yes')).markdown).toContain('**2 users added** to 1 customer');
      expect(await subscribersOf()).toEqual(['a@bravo.example', 'b@bravo.example', 'first@bravo.example']);
    });

    it('suggests near names when an exact customer lookup fails', async () => {
      expect((await say('status bravo')).markdown).toContain('No customer "bravo". Did you mean Bravo Clinic?');
      expect((await say('invoice brvo clinic june')).markdown).toContain('Did you mean Bravo Clinic?');
      expect((await say('status zulu')).markdown).not.toContain('Did you mean');
    });
  });
});
