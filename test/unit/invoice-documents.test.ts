import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ConfigError, invoiceSeller, loadConfig } from '../../src/config.js';
import { groupDigits } from '../../src/domain/invoice-arithmetic.js';
import { formatMinor } from '../../src/domain/money.js';
import { chooseInvoiceFormat } from '../../src/api/invoice-format.js';
import { type InvoiceSeller, renderInvoicePdf } from '../../src/platform/render-invoice-pdf.js';
import { toIssuedInvoiceCsv } from '../../src/use-cases/issued-invoice-csv.js';
import { issuedInvoiceFixture, logoPng } from '../support/issued-invoice-fixtures.js';
import { inkBox, missingPdfTools, pdfPages, pdfToPngs } from '../support/pdf-tools.js';

const seller: InvoiceSeller = {
  name: 'Northwind Telecom Services Ltd',
  address: ['Unit 4, Harbour Exchange', '10 Quay Street', 'Dublin D02 X285', 'Ireland · VAT IE1234567X'],
};
const amount = (minor: number, currency = 'USD') => `${groupDigits(formatMinor(minor))} ${currency}`;
/** pdftotext -layout separates cells with runs of spaces; one space is enough to compare. */
const squeeze = (s: string) => s.replace(/[ \t]+/g, ' ');

describe.skipIf(missingPdfTools)('invoice PDF: what pdftotext reads from it', () => {
  it('carries the number, the seller, the customer, every line with its arithmetic, the adjustments and the totals', async () => {
    const inv = issuedInvoiceFixture({ lines: 6, adjustments: 2 });
    const text = squeeze(pdfPages(await renderInvoicePdf(inv, seller)).join('\n'));
    expect(text).toContain('INVOICE');
    expect(text).toContain(inv.number);
    for (const line of seller.address) expect(text).toContain(line);
    expect(text).toContain(seller.name);
    expect(text).toContain('Acme Dental');
    for (const line of inv.customerAddress) expect(text).toContain(line);
    expect(text).toContain('Period 2026-10-01 – 2026-10-31');
    for (const l of inv.lines) {
      expect(text).toContain(`SKU ${l.sku} · price from ${l.priceFrom}`);
      expect(text).toContain(l.arithmetic);
      expect(text).toContain(amount(l.amountMinor));
    }
    // Lines are grouped: one heading per package, with its subtotal.
    expect(text).toContain('Webex Calling (webex_calling)');
    const calling = inv.lines.filter((l) => l.package === 'webex_calling').reduce((a, l) => a + l.amountMinor, 0);
    expect(text).toContain(`Subtotal Webex Calling ${amount(calling)}`);
    expect(text).toContain('Adjustments to earlier invoices');
    for (const a of inv.adjustments) {
      expect(text).toContain(a.originalInvoiceNumber);
      expect(text).toContain(a.holderLabel);
      expect(text).toContain(`${a.amountMinor < 0 ? '−' : '+'}${amount(Math.abs(a.amountMinor))}`);
      expect(text).toContain(`audit ${a.auditId}`);
    }
    expect(text).toContain(`Charges ${amount(inv.subtotalMinor)}`);
    expect(text).toContain(`Adjustments ${inv.adjustmentsMinor < 0 ? '−' : '+'}${amount(Math.abs(inv.adjustmentsMinor))}`);
    expect(text).toContain(`Total (USD) ${amount(inv.totalMinor)}`);
  });

  it('prints names in Greek, Cyrillic and accented Latin as they are, in the currency of the invoice', async () => {
    const name = 'Zahnarztpraxis Müller & Söhne · Οδοντιατρική Αθηνών · ООО «Ромашка»';
    const eur = issuedInvoiceFixture({ currency: 'EUR', customerName: name, customerAddress: ['Ŝtraße 5', 'Łódź 90-001', 'PL'] });
    const text = squeeze(pdfPages(await renderInvoicePdf(eur, { ...seller, name: 'Télécom Société Générale' })).join('\n'));
    // The name wraps beside the invoice details; each part reads as written.
    for (const part of name.split(' · ')) expect(text).toContain(part);
    expect(text).toContain('Łódź 90-001');
    expect(text).toContain('Télécom Société Générale');
    expect(text).toContain(`Total (EUR) ${amount(eur.totalMinor, 'EUR')}`);
    expect(text).not.toContain('USD');
    const gbp = issuedInvoiceFixture({ currency: 'GBP', customerName: null });
    const gbpText = squeeze(pdfPages(await renderInvoicePdf(gbp, seller)).join('\n'));
    expect(gbpText).toContain(`Total (GBP) ${amount(gbp.totalMinor, 'GBP')}`);
    expect(gbpText).toContain('crm-1001'); // no name: the external id stands in
    // No price book yet: no currency to name, and none made up.
    const none = squeeze(pdfPages(await renderInvoicePdf(issuedInvoiceFixture({ currency: null }), seller)).join('\n'));
    expect(none).toContain('Currency –');
    expect(none).toMatch(/Total \d+\.\d\d\n/);
    expect(none).not.toMatch(/USD|EUR|GBP/);
  });

  it('says so when there are no charges, and shows an invoice carrying only adjustments', async () => {
    const inv = issuedInvoiceFixture({ lines: 0, adjustments: 1 });
    const text = squeeze(pdfPages(await renderInvoicePdf(inv, seller)).join('\n'));
    expect(text).toContain('No charges in this period.');
    expect(inv.totalMinor).toBeLessThan(0);
    expect(text).toContain(`Total (USD) ${amount(inv.totalMinor)}`);
  });
});

describe.skipIf(missingPdfTools)('invoice PDF: a 42-line invoice breaks into pages cleanly', () => {
  const inv = issuedInvoiceFixture({
    lines: 42,
    adjustments: 6,
    customerName: 'Zahnarztpraxis Müller & Söhne — Οδοντιατρική Κλινική — ООО Кириллица, with a long legal name that wraps onto more lines',
  });
  // A description with no place to break and a very large amount must wrap inside their columns.
  inv.lines[5]!.description = `Webex${'W'.repeat(160)}`;
  inv.lines[6]!.amountMinor += 987_654_321_00;
  inv.subtotalMinor += 987_654_321_00;
  inv.totalMinor += 987_654_321_00;

  it('repeats the header and column titles on every page, and loses or repeats no row at a break', async () => {
    const pages = pdfPages(await renderInvoicePdf(inv, { ...seller, logoPng: logoPng() })).map(squeeze);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      expect(page).toContain(inv.number);
      expect(page).toContain(seller.name);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      // A page that goes on with a table names it again and repeats its column titles.
      if (i > 0 && i < pages.length - 1)
        expect(page).toMatch(/(Charges|Adjustments to earlier invoices) \(continued\)\n.*(Item.*Policy.*Quantity|Invoice · period)/);
    });
    for (const l of inv.lines) {
      // A row and its arithmetic stay on one page, and appear once.
      const holding = pages.filter((p) => p.includes(l.arithmetic));
      expect(holding).toHaveLength(1);
      expect(holding[0]).toContain(`SKU ${l.sku} · price from ${l.priceFrom}`);
    }
    for (const a of inv.adjustments) expect(pages.filter((p) => p.includes(a.description) && p.includes(a.holderLabel))).toHaveLength(1);
    expect(pages.at(-1)).toContain(`Total (USD) ${amount(inv.totalMinor)}`);
  });

  it('draws nothing beyond the margins on any page, the logo at the top left of each', async () => {
    const dir = process.env.INVOICE_PDF_PNG_DIR; // set it to look at the pages
    const pdf = await renderInvoicePdf(inv, { ...seller, logoPng: logoPng() });
    const pngs = pdfToPngs(pdf, 72, dir);
    const count = Number(/Page 1 of (\d+)/.exec(pdfPages(pdf)[0]!)![1]);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(pngs).toHaveLength(count);
    for (const png of pngs) {
      // 72 dpi: one pixel per point. Content keeps 50 pt left, right and top; the footer ≥ 24 pt above the edge.
      expect(png.width).toBeGreaterThanOrEqual(595);
      const box = inkBox(png)!;
      expect(box.left).toBeGreaterThanOrEqual(49);
      expect(box.right).toBeLessThanOrEqual(png.width - 49);
      expect(box.top).toBeGreaterThanOrEqual(49);
      expect(box.bottom).toBeLessThanOrEqual(png.height - 24);
      // The logo's blue block at (50..97, 50..97).
      const i = (png.width * 70 + 60) * 4;
      expect([png.data[i], png.data[i + 1], png.data[i + 2]]).toEqual([0x00, 0x7a, 0xc3]);
    }
  });

  it('renders the same invoice to the same bytes', async () => {
    const a = await renderInvoicePdf(inv, seller);
    const b = await renderInvoicePdf(inv, seller);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('invoice CSV', () => {
  it('has a record per line and per adjustment, then subtotal, adjustments and total that add up', () => {
    const inv = issuedInvoiceFixture({ lines: 5, adjustments: 3, currency: 'EUR' });
    const rows = parse(toIssuedInvoiceCsv(inv), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.RECORD)).toEqual([
      ...inv.lines.map(() => 'line'),
      'adjustment',
      'adjustment',
      'adjustment',
      'subtotal',
      'adjustments',
      'total',
    ]);
    for (const r of rows) {
      expect(r.INVOICE_NUMBER).toBe(inv.number);
      expect(r.CURRENCY).toBe('EUR');
      expect(r.PERIOD_START).toBe('2026-10-01');
    }
    const cents = (s: string) => Math.round(Number(s) * 100);
    const sum = (record: string) => rows.filter((r) => r.RECORD === record).reduce((a, r) => a + cents(r.AMOUNT!), 0);
    expect(sum('line')).toBe(cents(rows.find((r) => r.RECORD === 'subtotal')!.AMOUNT!));
    expect(sum('adjustment')).toBe(cents(rows.find((r) => r.RECORD === 'adjustments')!.AMOUNT!));
    expect(sum('line') + sum('adjustment')).toBe(cents(rows.find((r) => r.RECORD === 'total')!.AMOUNT!));
    const credit = rows.find((r) => r.RECORD === 'adjustment')!;
    expect(credit).toMatchObject({
      ORIGINAL_INVOICE_NUMBER: inv.adjustments[0]!.originalInvoiceNumber,
      ADJUSTED_PERIOD: '2026-09',
      HOLDER: inv.adjustments[0]!.holderLabel,
      QUANTITY: inv.adjustments[0]!.licenceDays,
      AMOUNT: formatMinor(inv.adjustments[0]!.amountMinor),
      AUDIT_ID: inv.adjustments[0]!.auditId,
    });
    expect(credit.AMOUNT).toMatch(/^-\d+\.\d\d$/); // a negative amount stays a number
    expect(rows[0]!.ARITHMETIC).toBe(inv.lines[0]!.arithmetic);
  });

  it('neutralises formula characters in names and descriptions', () => {
    const inv = issuedInvoiceFixture({ customerName: '=HYPERLINK("http://evil.example","Acme")', adjustments: 1 });
    inv.adjustments[0]!.holderLabel = '@SUM(A1:A9)';
    const rows = parse(toIssuedInvoiceCsv(inv), { columns: true }) as Record<string, string>[];
    expect(rows[0]!.CUSTOMER_NAME).toBe('\'=HYPERLINK("http://evil.example","Acme")');
    expect(rows.find((r) => r.RECORD === 'adjustment')!.HOLDER).toBe("'@SUM(A1:A9)");
  });
});

describe('invoice seller configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wd-seller-'));
  const logo = join(dir, 'logo.png');
  writeFileSync(logo, logoPng());
  const notPng = join(dir, 'logo.jpg');
  writeFileSync(notPng, 'GIF89a not a png');
  const font = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf');

  it('prints the partner name without INVOICE_SELLER_NAME, and the address lines split at |', () => {
    expect(invoiceSeller(loadConfig({ PARTNER_NAME: 'Acme Telecom' }))).toEqual({
      name: 'Acme Telecom',
      address: [],
      logoPng: undefined,
      fontPath: undefined,
    });
    const s = invoiceSeller(
      loadConfig({
        INVOICE_SELLER_NAME: 'Northwind Telecom Ltd',
        INVOICE_SELLER_ADDRESS: ' 10 Quay Street | Dublin D02 X285 || Ireland ',
        INVOICE_LOGO_PNG: logo,
        INVOICE_FONT: font,
      }),
    );
    expect(s).toMatchObject({ name: 'Northwind Telecom Ltd', address: ['10 Quay Street', 'Dublin D02 X285', 'Ireland'], fontPath: font });
    expect(Buffer.from(s.logoPng!).equals(logoPng())).toBe(true);
  });

  it.each([
    [{ INVOICE_LOGO_PNG: join(dir, 'missing.png') }, /INVOICE_LOGO_PNG: must be the path of a readable PNG file/],
    [{ INVOICE_LOGO_PNG: notPng }, /INVOICE_LOGO_PNG: must be the path of a readable PNG file/],
    [{ INVOICE_FONT: logo }, /INVOICE_FONT: must be the path of a readable TrueType or OpenType font/],
    [{ INVOICE_SELLER_ADDRESS: Array.from({ length: 9 }, (_, i) => `line ${i}`).join('|') }, /INVOICE_SELLER_ADDRESS: at most 8 lines/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.skipIf(missingPdfTools)('draws the text in the configured font', async () => {
    const pdf = await renderInvoicePdf(issuedInvoiceFixture(), { ...seller, fontPath: font });
    const fonts = execFileSync('pdffonts', ['-'], { input: pdf, encoding: 'utf8' });
    expect(fonts).toContain('DejaVuSerif');
    expect(fonts).not.toContain('DejaVuSans');
  });
});

describe('chooseInvoiceFormat: what Accept asks an issued invoice to be', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['application/json', 'json'],
    ['*/*', 'json'],
    ['application/*', 'json'],
    ['application/pdf', 'pdf'],
    ['APPLICATION/PDF', 'pdf'],
    ['text/csv', 'csv'],
    ['text/*', 'csv'],
    ['text/csv;q=0.5, application/pdf', 'pdf'],
    ['application/pdf;q=0.2, text/csv;q=0.9', 'csv'],
    ['application/pdf, */*;q=0.1', 'pdf'],
    ['*/*;q=0.8, text/csv', 'csv'],
    ['application/pdf;q=0, application/json', 'json'],
    ['image/png', undefined],
    ['application/pdf;q=0', undefined],
    ['text/html, application/xml', undefined],
  ])('%j → %s', (accept, format) => {
    expect(chooseInvoiceFormat(accept)).toBe(format);
  });
});
