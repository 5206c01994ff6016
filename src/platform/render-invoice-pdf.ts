import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as parseFont } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { InvoiceAdjustment, IssuedInvoice, IssuedInvoiceLine } from '../contracts/issued-invoices.js';
import { groupDigits } from '../domain/invoice-arithmetic.js';
import { formatMinor } from '../domain/money.js';

/** Who issues the invoice, as printed at the top of every page (configuration: INVOICE_SELLER_*). */
export interface InvoiceSeller {
  name: string;
  address: readonly string[];
  /** A PNG, drawn at most 140 × 48 pt at the top left. */
  logoPng?: Uint8Array | undefined;
  /** A TrueType/OpenType font for every text (INVOICE_FONT); without it DejaVu Sans (Latin, Greek, Cyrillic, …). */
  fontPath?: string | undefined;
}

const require = createRequire(import.meta.url);
const fontCache = new Map<string, object>();
/**
 * Fonts are read and parsed once per process (pdfkit takes a parsed fontkit font): parsing DejaVu
 * Sans for each document cost more than drawing a 40-line invoice, and fontkit keeps its glyph
 * caches on the parsed font.
 */
function parsedFont(path: string): PDFKit.Mixins.PDFFontSource {
  let font = fontCache.get(path);
  if (!font) {
    font = parseFont(readFileSync(path));
    fontCache.set(path, font);
  }
  return font as PDFKit.Mixins.PDFFontSource;
}

// A4 in points; the content stays inside MARGIN, the footer sits in the bottom margin, 24 pt or more from the edge.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN;
const FOOTER_Y = PAGE.height - MARGIN + 14;
const GREY = '#555555';
const RULE = '#bbbbbb';
const BODY = 8.5;
const SMALL = 7;

interface Column {
  title: string;
  x: number;
  width: number;
  align: 'left' | 'right';
}
const col = (title: string, x: number, width: number, align: 'left' | 'right' = 'left'): Column => ({ title, x, width, align });
const LINE_COLUMNS: Column[] = [
  col('Item', 0, 200),
  col('Policy', 206, 70),
  col('Quantity', 282, 62, 'right'),
  col('Monthly price', 350, 66, 'right'),
  col('Amount', 422, CONTENT_WIDTH - 422, 'right'),
];
const ADJUSTMENT_COLUMNS: Column[] = [
  col('Invoice · period', 0, 96),
  col('Who · package', 102, 178),
  col('Licence-days', 282, 62, 'right'),
  col('Change', 350, 66),
  col('Amount', 422, CONTENT_WIDTH - 422, 'right'),
];

const POLICY_WORDS: Record<IssuedInvoiceLine['policy'], string> = {
  prorated: 'prorated',
  average_rounded_up: 'average, rounded up',
  peak: 'peak',
};

/** Amounts as the JSON and the chat show them: '1,234.50 USD'. */
const money = (minor: number, currency: string | null) => `${groupDigits(formatMinor(minor))}${currency ? ` ${currency}` : ''}`;
const signed = (decimal: string) => (decimal.startsWith('-') ? `−${groupDigits(decimal.slice(1))}` : `+${groupDigits(decimal)}`);
const signedMoney = (minor: number, currency: string | null) => `${minor < 0 ? '−' : '+'}${money(Math.abs(minor), currency)}`;

/**
 * An issued invoice as a PDF (A4): on every page the seller's logo, name and address and the invoice
 * number; on the first the customer and the period; then the lines grouped by package, each with its
 * arithmetic in words and a subtotal per package, the adjustments to earlier invoices in their own
 * section, and the totals. Rows never split across pages: a row that does not fit starts the next
 * page, whose header and column titles are repeated. The same invoice gives the same bytes.
 */
export async function renderInvoicePdf(inv: IssuedInvoice, seller: InvoiceSeller): Promise<Uint8Array<ArrayBuffer>> {
  const issuedAt = new Date(inv.issuedAt);
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    bufferPages: true,
    autoFirstPage: false,
    info: {
      Title: `Invoice ${inv.number}`,
      Author: seller.name,
      Subject: `${inv.customerName ?? inv.externalId}, ${inv.month}`,
      Creator: 'Wholesale Desk',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const regular = seller.fontPath ?? require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
  const bold = seller.fontPath ?? require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
  doc.registerFont('regular', parsedFont(regular));
  doc.registerFont('bold', parsedFont(bold));

  const cur = inv.currency;
  let y = 0;
  /** The column titles of the table being drawn, repeated after a page break. */
  let tableColumns: Column[] | undefined;
  let tableCaption = '';

  const text = (
    s: string,
    x: number,
    top: number,
    width: number,
    opts: { align?: 'left' | 'right'; font?: string; size?: number; color?: string } = {},
  ) => {
    doc
      .font(opts.font ?? 'regular')
      .fontSize(opts.size ?? BODY)
      .fillColor(opts.color ?? '#000000')
      .text(s, MARGIN + x, top, { width, align: opts.align ?? 'left', lineGap: 1 });
  };
  const heights = new Map<string, number>();
  const heightOf = (s: string, width: number, font = 'regular', size = BODY) => {
    const key = `${font}\u0000${size}\u0000${width}\u0000${s}`;
    let h = heights.get(key);
    if (h === undefined) {
      h = doc.font(font).fontSize(size).heightOfString(s, { width, lineGap: 1 });
      heights.set(key, h);
    }
    return h;
  };
  const rule = (top: number, color = RULE) => {
    doc
      .moveTo(MARGIN, top)
      .lineTo(MARGIN + CONTENT_WIDTH, top)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  };

  const pageHeader = (first: boolean) => {
    let left = 0;
    if (seller.logoPng) {
      doc.image(Buffer.from(seller.logoPng), MARGIN, MARGIN, { fit: [140, 48] });
      left = 150;
    }
    const sellerWidth = CONTENT_WIDTH - left - 170;
    text(seller.name, left, MARGIN, sellerWidth, { font: 'bold', size: 11 });
    let sy = MARGIN + heightOf(seller.name, sellerWidth, 'bold', 11);
    for (const line of seller.address) {
      text(line, left, sy, sellerWidth, { color: GREY });
      sy += heightOf(line, sellerWidth);
    }
    text('INVOICE', CONTENT_WIDTH - 165, MARGIN, 165, { align: 'right', font: 'bold', size: 16 });
    text(inv.number, CONTENT_WIDTH - 165, MARGIN + 21, 165, { align: 'right', font: 'bold', size: 10 });
    if (!first) {
      // One line, cut with an ellipsis: a long customer name must not push into the page.
      doc
        .font('regular')
        .fontSize(BODY)
        .fillColor(GREY)
        .text(`${inv.month} · ${inv.customerName ?? inv.externalId}`, MARGIN + CONTENT_WIDTH - 165, MARGIN + 35, {
          width: 165,
          height: BODY + 2,
          align: 'right',
          ellipsis: true,
          lineBreak: false,
        });
    }
    y = Math.max(sy, MARGIN + 48) + 10;
    rule(y, '#000000');
    y += 10;
  };

  const columnTitles = (columns: Column[]) => {
    for (const c of columns) text(c.title, c.x, y, c.width, { align: c.align, font: 'bold', size: SMALL, color: GREY });
    y += heightOf('X', 100, 'bold', SMALL) + 3;
    rule(y);
    y += 4;
  };

  const newPage = (first: boolean) => {
    doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    pageHeader(first);
    if (!first && tableColumns) {
      text(`${tableCaption} (continued)`, 0, y, CONTENT_WIDTH, { font: 'bold', size: 9 });
      y += heightOf(tableCaption, CONTENT_WIDTH, 'bold', 9) + 4;
      columnTitles(tableColumns);
    }
  };
  /** Starts a new page unless `height` more fits on this one. */
  const ensure = (height: number) => {
    if (y + height > BOTTOM) newPage(false);
  };

  newPage(true);

  // Bill to / invoice details, side by side.
  const half = CONTENT_WIDTH / 2 - 10;
  const billTo = [inv.customerName ?? inv.externalId, ...inv.customerAddress, `Customer reference: ${inv.externalId}`];
  const details: [string, string][] = [
    ['Invoice number', inv.number],
    ['Period', `${inv.periodStart} – ${inv.periodEnd}`],
    ['Issued', `${inv.issuedAt.slice(0, 10)} (${inv.issuedAt.slice(11, 16)} UTC)`],
    ['Currency', cur ?? '–'],
    ['Price book', inv.priceBookVersions.length ? inv.priceBookVersions.map((v) => `from ${v}`).join(', ') : '–'],
  ];
  const top = y;
  text('Bill to', 0, y, half, { font: 'bold', size: SMALL, color: GREY });
  let by = y + 11;
  billTo.forEach((line, i) => {
    text(line, 0, by, half, i === 0 ? { font: 'bold', size: 10 } : i === billTo.length - 1 ? { color: GREY, size: SMALL } : {});
    by += heightOf(line, half, i === 0 ? 'bold' : 'regular', i === 0 ? 10 : i === billTo.length - 1 ? SMALL : BODY) + 1;
  });
  let dy = top;
  for (const [k, v] of details) {
    text(k, half + 20, dy, 80, { color: GREY });
    text(v, half + 100, dy, CONTENT_WIDTH - half - 100, {});
    dy += Math.max(heightOf(v, CONTENT_WIDTH - half - 100), heightOf(k, 80)) + 2;
  }
  y = Math.max(by, dy) + 14;

  const sectionTitle = (title: string, columns: Column[]) => {
    ensure(60);
    text(title, 0, y, CONTENT_WIDTH, { font: 'bold', size: 11 });
    y += heightOf(title, CONTENT_WIDTH, 'bold', 11) + 4;
    tableColumns = columns;
    tableCaption = title;
    columnTitles(columns);
  };

  // Lines, grouped by package in the order they first appear.
  sectionTitle('Charges', LINE_COLUMNS);
  const groups = new Map<string, IssuedInvoiceLine[]>();
  for (const line of inv.lines) groups.set(line.package, [...(groups.get(line.package) ?? []), line]);
  if (!inv.lines.length) {
    text('No charges in this period.', 0, y, CONTENT_WIDTH, { color: GREY });
    y += 14;
  }
  for (const [, lines] of groups) {
    const first = lines[0]!;
    const heading = `${first.packageName} (${first.package})`;
    ensure(heightOf(heading, CONTENT_WIDTH, 'bold', 9) + 4 + lineRowHeight(first));
    text(heading, 0, y, CONTENT_WIDTH, { font: 'bold', size: 9 });
    y += heightOf(heading, CONTENT_WIDTH, 'bold', 9) + 4;
    lines.forEach((line, i) => {
      // The last row keeps its package's subtotal with it.
      ensure(lineRowHeight(line) + (i === lines.length - 1 ? 16 : 0));
      drawLineRow(line);
    });
    const subtotal = `Subtotal ${first.packageName}`;
    text(subtotal, LINE_COLUMNS[1]!.x, y, LINE_COLUMNS[3]!.x + LINE_COLUMNS[3]!.width - LINE_COLUMNS[1]!.x, {
      align: 'right',
      color: GREY,
    });
    text(
      money(
        lines.reduce((a, l) => a + l.amountMinor, 0),
        cur,
      ),
      LINE_COLUMNS[4]!.x,
      y,
      LINE_COLUMNS[4]!.width,
      { align: 'right', font: 'bold' },
    );
    y += heightOf(subtotal, 300) + 8;
  }

  function itemText(line: IssuedInvoiceLine) {
    return `${line.description}\nSKU ${line.sku} · price from ${line.priceFrom}`;
  }
  function cells(line: IssuedInvoiceLine): string[] {
    return [
      itemText(line),
      POLICY_WORDS[line.policy],
      groupDigits(line.quantity),
      groupDigits(formatMinor(line.monthlyPriceMinor)),
      money(line.amountMinor, cur),
    ];
  }
  function lineRowHeight(line: IssuedInvoiceLine): number {
    const main = Math.max(...cells(line).map((s, i) => heightOf(s, LINE_COLUMNS[i]!.width)));
    return main + heightOf(line.arithmetic, CONTENT_WIDTH - 12, 'regular', SMALL) + 8;
  }
  function drawLineRow(line: IssuedInvoiceLine) {
    const cs = cells(line);
    for (const [i, s] of cs.entries()) text(s, LINE_COLUMNS[i]!.x, y, LINE_COLUMNS[i]!.width, { align: LINE_COLUMNS[i]!.align });
    y += Math.max(...cs.map((s, i) => heightOf(s, LINE_COLUMNS[i]!.width))) + 1;
    text(line.arithmetic, 12, y, CONTENT_WIDTH - 12, { size: SMALL, color: GREY });
    y += heightOf(line.arithmetic, CONTENT_WIDTH - 12, 'regular', SMALL) + 3;
    rule(y, '#e2e2e2');
    y += 4;
  }

  // Adjustments: changes recorded after an earlier invoice was issued, never rewritten into it.
  if (inv.adjustments.length) {
    y += 6;
    sectionTitle('Adjustments to earlier invoices', ADJUSTMENT_COLUMNS);
    for (const a of inv.adjustments) {
      ensure(adjustmentRowHeight(a));
      drawAdjustmentRow(a);
    }
    ensure(16);
    text('Adjustments', LINE_COLUMNS[1]!.x, y, LINE_COLUMNS[3]!.x + LINE_COLUMNS[3]!.width - LINE_COLUMNS[1]!.x, {
      align: 'right',
      color: GREY,
    });
    text(signedMoney(inv.adjustmentsMinor, cur), LINE_COLUMNS[4]!.x, y, LINE_COLUMNS[4]!.width, { align: 'right', font: 'bold' });
    y += 20;
  }
  tableColumns = undefined;

  function adjustmentCells(a: InvoiceAdjustment): string[] {
    return [
      `${a.originalInvoiceNumber}\n${a.period}`,
      `${a.holderLabel}\n${a.packageName} (${a.package})`,
      signed(a.licenceDays),
      a.kind,
      signedMoney(a.amountMinor, cur),
    ];
  }
  function adjustmentNote(a: InvoiceAdjustment) {
    return `${a.description}${a.auditId ? ` (audit ${a.auditId})` : ''}`;
  }
  function adjustmentRowHeight(a: InvoiceAdjustment): number {
    const main = Math.max(...adjustmentCells(a).map((s, i) => heightOf(s, ADJUSTMENT_COLUMNS[i]!.width)));
    return main + heightOf(adjustmentNote(a), CONTENT_WIDTH - 12, 'regular', SMALL) + 8;
  }
  function drawAdjustmentRow(a: InvoiceAdjustment) {
    const cs = adjustmentCells(a);
    for (const [i, s] of cs.entries())
      text(s, ADJUSTMENT_COLUMNS[i]!.x, y, ADJUSTMENT_COLUMNS[i]!.width, { align: ADJUSTMENT_COLUMNS[i]!.align });
    y += Math.max(...cs.map((s, i) => heightOf(s, ADJUSTMENT_COLUMNS[i]!.width))) + 1;
    const note = adjustmentNote(a);
    text(note, 12, y, CONTENT_WIDTH - 12, { size: SMALL, color: GREY });
    y += heightOf(note, CONTENT_WIDTH - 12, 'regular', SMALL) + 3;
    rule(y, '#e2e2e2');
    y += 4;
  }

  // Totals, kept together on one page.
  const totals: [string, string, boolean][] = [
    ['Charges', money(inv.subtotalMinor, cur), false],
    ...(inv.adjustments.length ? [['Adjustments', signedMoney(inv.adjustmentsMinor, cur), false] as [string, string, boolean]] : []),
    [`Total${cur ? ` (${cur})` : ''}`, money(inv.totalMinor, cur), true],
  ];
  ensure(totals.length * 16 + 40);
  y += 4;
  // The value column is wider than the table's Amount: a total is longer than any line.
  const valueX = CONTENT_WIDTH - 150;
  const labelX = LINE_COLUMNS[1]!.x;
  const labelWidth = valueX - labelX - 8;
  for (const [label, value, strong] of totals) {
    if (strong) {
      doc
        .moveTo(MARGIN + LINE_COLUMNS[2]!.x, y - 3)
        .lineTo(MARGIN + CONTENT_WIDTH, y - 3)
        .lineWidth(0.8)
        .strokeColor('#000000')
        .stroke();
    }
    const size = strong ? 11 : BODY;
    text(label, labelX, y, labelWidth, { align: 'right', font: strong ? 'bold' : 'regular', size });
    text(value, valueX, y, 150, { align: 'right', font: strong ? 'bold' : 'regular', size });
    y += heightOf(value, 150, strong ? 'bold' : 'regular', size) + 5;
  }
  y += 8;
  const closing = `Amounts in ${cur ?? 'the price book currency'}; each line rounded half-up to a minor unit once, the total is the sum of the lines and adjustments. This invoice was issued on ${inv.issuedAt} and does not change; later corrections appear as adjustments on a later invoice.`;
  ensure(heightOf(closing, CONTENT_WIDTH, 'regular', SMALL));
  text(closing, 0, y, CONTENT_WIDTH, { size: SMALL, color: GREY });

  // Page numbers, now that the count is known.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    text(`${seller.name} · Invoice ${inv.number}`, 0, FOOTER_Y, CONTENT_WIDTH / 2, { size: SMALL, color: GREY });
    text(`Page ${i + 1} of ${range.count}`, CONTENT_WIDTH / 2, FOOTER_Y, CONTENT_WIDTH / 2, { size: SMALL, color: GREY, align: 'right' });
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
