import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext, StaffRole } from '../../src/bot/bot-command.js';
import { handleMessage } from '../../src/bot/handle-message.js';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { addSubscriber, type Body, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { missingPdfTools, pdfPages } from '../support/pdf-tools.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const log = pino({ level: 'silent' });

/**
 * Issued invoices as documents (issue #26): chat's `issue invoices` and `invoice`, the CLI, and the
 * API's content negotiation, on a ledger of one customer with a subscriber through October 2026.
 */
describe(`invoice documents on ${testDbKind()}`, () => {
  let h: TestHarness;
  let customer: Body;
  const ctxFor = async (role: StaffRole, scopes?: string[]): Promise<BotContext> => ({
    useCases: h.useCases,
    actor: { partner: (await loadRootPartner(h.db))!, label: `staff:${role}@partner.example`, role, ...(scopes ? { scopes } : {}) },
    spaceId: `space-${role}`,
    deps: { now: h.clock.now(), uuid: nodeIds.uuid },
    invoicing: { seller: { name: 'Northwind Telecom', address: ['10 Quay Street', 'Dublin'] }, numberPrefix: 'NW' },
  });
  const say = async (text: string, role: StaffRole = 'operator', scopes?: string[]) => handleMessage(await ctxFor(role, scopes), text, log);

  beforeAll(async () => {
    h = await createTestHarness({
      start: '2026-10-01T00:00:00Z',
      env: {
        INVOICE_SELLER_NAME: 'Northwind Telecom',
        INVOICE_SELLER_ADDRESS: '10 Quay Street|Dublin D02 X285',
        INVOICE_NUMBER_PREFIX: 'NW',
      },
    });
    const price = await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-10-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 3100 },
        { package: 'webex_meetings', monthlyPrice: 1550 },
      ],
    });
    expect(price.status, await price.clone().text()).toBe(200);
    customer = await provisionCustomer(h, customerBody(await defaultTemplateId(h), { externalId: 'alder' }));
    h.clock.set('2026-10-11T00:00:00Z');
    await addSubscriber(h, customer.id, 'ann@alder-dental.example', 'webex_calling');
    h.clock.set('2026-11-03T09:00:00Z');
  });
  afterAll(() => h.close());

  describe('chat', () => {
    it('says an invoice not yet issued is provisional, with the figures computed now', async () => {
      const reply = await say('invoice alder October');
      expect(reply.markdown).toContain('Provisional: not issued yet (`issue invoices October 2026`)');
      expect(reply.markdown).toContain('Total: **');
      expect(reply.files?.map((f) => f.contentType)).toEqual(['text/csv']);
      const current = await say('invoice alder this month');
      expect(current.markdown).toContain(
        'Provisional: November 2026 has not ended, so no invoice is issued yet; these are the figures to date.',
      );
    });

    it('issues a month only for an admin, after a confirmation, and never for a month that has not ended', async () => {
      expect((await say('issue invoices October', 'operator')).markdown).toContain('needs the admin role');
      // A console token needs the scope the API call needs.
      expect((await say('issue invoices October', 'admin', ['spark-admin:wholesale_billing_reports_read'])).markdown).toContain(
        'wholesale-desk:admin',
      );
      const open = await say('issue invoices this month', 'admin');
      expect(open.markdown).toContain('November 2026 has not ended; its invoices can be issued from 2026-12-01 (UTC)');
      expect(open.card).toBeUndefined();
      const proposal = await say('issue invoices October', 'admin');
      expect(proposal.markdown).toContain('Issue the invoices for **October 2026**');
      expect(proposal.card).toBeDefined();
      expect(await h.db.selectFrom('issued_invoices').select('number').execute()).toEqual([]);
      const done = await say('yes', 'admin');
      expect(done.markdown).toMatch(/\*\*Issued 1 invoice for October 2026\*\* \(NW-2026-000001\), totalling 21\.00 USD\./);
      expect(done.markdown).toContain('NW\\-2026\\-000001: Alder Dental Group, 21.00 USD');
      const again = await (async () => {
        await say('issue invoices October', 'admin');
        return say('yes', 'admin');
      })();
      expect(again.markdown).toBe(
        'No new invoices for October 2026: nothing left to invoice. 1 customer had been invoiced for it already.',
      );
    });

    it.skipIf(missingPdfTools)('returns the issued invoice with its PDF attached', async () => {
      const reply = await say('invoice alder October');
      expect(reply.markdown).toContain('**Invoice NW\\-2026\\-000001**, Alder Dental Group, 2026-10-01 to 2026-10-31: issued 2026-11-03');
      expect(reply.markdown).toContain('Total: **21.00 USD**');
      expect(reply.files).toHaveLength(1);
      const file = reply.files![0]!;
      expect(file).toMatchObject({ name: 'invoice-NW-2026-000001.pdf', contentType: 'application/pdf' });
      const text = pdfPages(file.content as Uint8Array).join('\n');
      expect(text).toContain('NW-2026-000001');
      expect(text).toContain('Northwind Telecom');
      expect(text).toContain('Alder Dental Group');
      expect(text).toMatch(/Total \(USD\)\s+21\.00 USD/);
      expect(text).toContain('21 licence-days ÷ 31 days');
    });
  });

  describe('GET /v1/billing/invoices/{number} by Accept', () => {
    const get = (number: string, accept?: string) =>
      h.call('GET', `/v1/billing/invoices/${encodeURIComponent(number)}`, undefined, accept ? { headers: { accept } } : {});

    it('answers JSON without Accept or when asked, the document as issued', async () => {
      for (const accept of [undefined, 'application/json', '*/*']) {
        const res = await get('NW-2026-000001', accept);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(res.headers.get('vary')).toContain('Accept');
        expect(await res.json()).toMatchObject({ number: 'NW-2026-000001', month: '2026-10', totalMinor: 2100, currency: 'USD' });
      }
    });

    it.skipIf(missingPdfTools)('answers the PDF for Accept: application/pdf, as an attachment named after the number', async () => {
      const res = await get('NW-2026-000001', 'application/pdf');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename=invoice-NW-2026-000001.pdf');
      const pdf = new Uint8Array(await res.arrayBuffer());
      expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
      const text = pdfPages(pdf).join('\n');
      expect(text).toContain('NW-2026-000001');
      expect(text).toContain('Northwind Telecom'); // INVOICE_SELLER_NAME
      expect(text).toContain('Dublin D02 X285'); // INVOICE_SELLER_ADDRESS, second line
      expect(text).toMatch(/Total \(USD\)\s+21\.00 USD/);
      // q-values choose: the PDF is preferred here.
      expect((await get('NW-2026-000001', 'text/csv;q=0.5, application/pdf')).headers.get('content-type')).toBe('application/pdf');
    });

    it('answers the CSV for Accept: text/csv', async () => {
      const res = await get('NW-2026-000001', 'text/csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename=invoice-NW-2026-000001.csv');
      const rows = parseCsv(await res.text());
      expect(rows.map((r) => r.RECORD)).toEqual(['line', 'subtotal', 'adjustments', 'total']);
      expect(rows[0]).toMatchObject({
        INVOICE_NUMBER: 'NW-2026-000001',
        CUSTOMER_NAME: 'Alder Dental Group',
        PACKAGE: 'webex_calling',
        AMOUNT: '21.00',
      });
      expect(rows.at(-1)).toMatchObject({ RECORD: 'total', AMOUNT: '21.00', CURRENCY: 'USD' });
    });

    it('refuses a form it does not serve with 406 naming the ones it does, and a number that does not exist with 404', async () => {
      const res = await get('NW-2026-000001', 'image/png');
      expect(res.status).toBe(406);
      const body = await res.json();
      expect(body.errors).toEqual([
        {
          errorCode: 2065,
          description: 'Accept: an invoice is served as application/json, application/pdf or text/csv: ask for one of them in Accept',
        },
      ]);
      const missing = await get('NW-2026-999999', 'application/pdf');
      expect(missing.status).toBe(404);
      expect((await missing.json()).errors[0].errorCode).toBe(2050);
    });
  });

  describe('CLI', () => {
    const cli = (args: string[], opts: Record<string, string> = {}) =>
      runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds, invoiceNumberPrefix: 'NW' });

    it('lists issued invoices, filtered by month and customer', async () => {
      const all = await cli(['invoices', 'list']);
      expect(all.exitCode).toBe(0);
      expect(all.output).toBe(
        'NW-2026-000001  alder  Alder Dental Group  2026-10  21.00 USD  issued 2026-11-03T09:00:00.000Z by staff:admin@partner.example',
      );
      expect((await cli(['invoices', 'list'], { month: '2026-09' })).output).toBe('no issued invoices');
      expect((await cli(['invoices', 'list'], { customer: 'alder' })).output).toContain('NW-2026-000001');
    });

    it('issues an ended month once, and says what is wrong with a month that is not one', async () => {
      expect(await cli(['invoices', 'issue'])).toEqual({
        output: 'error: usage: invoices issue --month YYYY-MM (an ended month)',
        exitCode: 1,
      });
      const open = await cli(['invoices', 'issue'], { month: '2026-11' });
      expect(open.exitCode).toBe(1);
      expect(open.output).toContain('2026-11 has not ended');
      expect((await cli(['invoices', 'issue'], { month: 'November' })).output).toContain('"November" is not a YYYY-MM month');
      expect(await cli(['invoices', 'issue'], { month: '2026-10' })).toEqual({
        output: 'no new invoices for 2026-10; 1 customer(s) had been invoiced for it already',
        exitCode: 0,
      });
      h.clock.set('2026-12-01T07:00:00Z');
      const issued = await cli(['invoices', 'issue'], { month: '2026-11' });
      expect(issued.exitCode).toBe(0);
      expect(issued.output).toBe(
        'issued 1 invoice(s) for 2026-11: NW-2026-000002\nNW-2026-000002  alder  Alder Dental Group  2026-11  31.00 USD  issued 2026-12-01T07:00:00.000Z by cli',
      );
      expect((await cli(['invoices', 'list'])).output.split('\n').map((l) => l.split('  ')[0])).toEqual([
        'NW-2026-000002',
        'NW-2026-000001',
      ]);
    });
  });

  describe('a change recorded after issue', () => {
    it.skipIf(missingPdfTools)(
      'shows on the next invoice’s PDF and CSV as an adjustment naming the issued invoice, which stays as it was',
      async () => {
        // 1 Dec: November is issued (NW-2026-000002, 31.00 USD). Ann's removal, dated 21 November, is recorded on 2 December.
        h.clock.set('2026-12-02T10:00:00Z');
        const subs = await (await h.call('GET', `/v1/wholesale/subscribers?customerId=${encodeURIComponent(customer.id)}`)).json();
        const ann = subs.items.find((x: Body) => x.email === 'ann@alder-dental.example');
        const del = await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(ann.id)}?effectiveAt=2026-11-21T00:00:00Z`);
        expect(del.status, await del.clone().text()).toBe(204);
        await h.worker.drain();
        const before = new Uint8Array(
          await (
            await h.call('GET', '/v1/billing/invoices/NW-2026-000002', undefined, { headers: { accept: 'application/pdf' } })
          ).arrayBuffer(),
        );

        // Chat shows the pending credit on December's figures to date.
        const provisional = await say('invoice alder this month');
        expect(provisional.markdown).toContain('**Adjustments to earlier invoices** (pending):');
        expect(provisional.markdown).toContain('against invoice NW\\-2026\\-000002 (2026-11)');

        h.clock.set('2027-01-01T07:00:00Z');
        const issued = await runCliCommand(
          h.useCases,
          ['invoices', 'issue'],
          { month: '2026-12' },
          { clock: h.clock, ids: nodeIds, invoiceNumberPrefix: 'NW' },
        );
        expect(issued.output).toContain('NW-2027-000003');
        const dec = await (await h.call('GET', '/v1/billing/invoices/NW-2027-000003')).json();
        expect(dec.lines).toEqual([]);
        expect(dec.adjustments).toHaveLength(1);
        const credit = dec.adjustments[0];
        expect(credit).toMatchObject({ kind: 'credit', originalInvoiceNumber: 'NW-2026-000002', period: '2026-11' });

        const pdf = new Uint8Array(
          await (
            await h.call('GET', '/v1/billing/invoices/NW-2027-000003', undefined, { headers: { accept: 'application/pdf' } })
          ).arrayBuffer(),
        );
        const text = pdfPages(pdf)
          .join('\n')
          .replace(/[ \t]+/g, ' ');
        expect(text).toContain('No charges in this period.');
        expect(text).toContain('Adjustments to earlier invoices');
        expect(text).toContain('NW-2026-000002');
        expect(text).toContain('ann@alder-dental.example');
        expect(text).toContain(`−${(Math.abs(credit.amountMinor) / 100).toFixed(2)} USD`);
        expect(text).toContain(`Total (USD) ${(dec.totalMinor / 100).toFixed(2)} USD`);
        const csv = parseCsv(
          await (await h.call('GET', '/v1/billing/invoices/NW-2027-000003', undefined, { headers: { accept: 'text/csv' } })).text(),
        );
        expect(csv.find((r) => r.RECORD === 'adjustment')).toMatchObject({
          ORIGINAL_INVOICE_NUMBER: 'NW-2026-000002',
          ADJUSTED_PERIOD: '2026-11',
          HOLDER: 'ann@alder-dental.example',
        });

        // November's document is the same bytes as before the change.
        const after = new Uint8Array(
          await (
            await h.call('GET', '/v1/billing/invoices/NW-2026-000002', undefined, { headers: { accept: 'application/pdf' } })
          ).arrayBuffer(),
        );
        expect(Buffer.from(after).equals(Buffer.from(before))).toBe(true);
        expect(pdfPages(after).join('\n')).toMatch(/Total \(USD\)\s+31\.00 USD/);
      },
    );
  });
});
