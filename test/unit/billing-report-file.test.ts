import { describe, expect, it } from 'vitest';
import { parseQuantity, readFileLayout, readFileLine, toServicePackage } from '../../src/domain/billing-report-file.js';
import type { FileLine } from '../../src/domain/billing-report-file.js';
import { readBillingReportCsv } from '../../src/use-cases/read-billing-report-csv.js';

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
/** The column order the "addons" change gives USER reports (workspace and location last). */
const USER_HEADER = [
  'PARTNER_NAME',
  'PARTNER_ORG_ID',
  'SUBSCRIPTION_ID',
  'SERVICE_NAME',
  'SKU',
  'DESCRIPTION',
  'CONSUMPTION_START_DATE',
  'CONSUMPTION_END_DATE',
  'QUANTITY',
  'CUSTOMER_ORG_ID',
  'CUSTOMER_EXTERNAL_ID',
  'SUBSCRIBER_ID',
  'USER_ID',
  'WORKSPACE_ID',
  'LOCATION_ID',
];

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(text: string, chunkSize = 7, maxBytes = 1 << 20) {
  const lines: FileLine[] = [];
  const batches: number[] = [];
  const result = await readBillingReportCsv(chunksOf(text, chunkSize), {
    period: PERIOD,
    maxBytes,
    batchSize: 2,
    async onBatch(b) {
      batches.push(b.length);
      lines.push(...b);
    },
  });
  return { result, lines, batches };
}

describe('billing report file layout', () => {
  it.each([
    ['USER: a subscriber column', USER_HEADER, 'USER'],
    ['USER: only a workspace column marks it too', ['WORKSPACE_ID', 'SERVICE_NAME'], 'USER'],
    ['CUSTOMER: customer columns, no subscriber', USER_HEADER.filter((c) => !/SUBSCRIBER|USER_ID|WORKSPACE/.test(c)), 'CUSTOMER'],
    ['PARTNER: neither', USER_HEADER.slice(0, 9), 'PARTNER'],
    ['case and spaces in headers are ignored', USER_HEADER.map((c) => ` ${c.toLowerCase()} `), 'USER'],
  ])('%s', (_name, header, type) => {
    const r = readFileLayout(header);
    expect(r.ok ? r.layout.type : r.type).toBe(type);
  });

  it.each([
    ['a USER file without QUANTITY', USER_HEADER.filter((c) => c !== 'QUANTITY'), ['QUANTITY']],
    ['a USER file without WORKSPACE_ID', USER_HEADER.filter((c) => c !== 'WORKSPACE_ID'), ['WORKSPACE_ID']],
    ['a screening list', ['_id', 'source', 'name'], ['SERVICE_NAME', 'CONSUMPTION_START_DATE', 'CONSUMPTION_END_DATE', 'QUANTITY']],
  ])('refuses %s, naming the missing columns', (_name, header, missing) => {
    const r = readFileLayout(header);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.missing).toEqual(missing);
  });
});

describe('quantities and services', () => {
  it.each([
    ['31', 310_000],
    ['0.5', 5_000],
    ['12.3457', 123_457],
    ['12.34565', 123_457],
    ['12.34564', 123_456],
    ['1.', 10_000],
    ['-2.25', -22_500],
    [' 7 ', 70_000],
    ['1e3', undefined],
    ['', undefined],
    ['1,5', undefined],
  ])('%j → %s units', (text, units) => expect(parseQuantity(text)).toBe(units));

  it.each([
    ['WEBEX_CALLING', 'webex_calling'],
    ['Webex Calling', 'webex_calling'],
    ['CUSTOMER_ASSIST', 'cx_essentials'],
    ['NEW_THING', 'new_thing'],
  ])('%s is package %s', (service, pkg) => expect(toServicePackage(service)).toBe(pkg));
});

describe('file lines', () => {
  const layout = (() => {
    const r = readFileLayout(USER_HEADER);
    if (!r.ok) throw new Error('layout');
    return r.layout;
  })();
  const row = (over: Record<string, string>) => {
    const base: Record<string, string> = {
      SERVICE_NAME: 'WEBEX_CALLING',
      CONSUMPTION_START_DATE: '2026-10-01',
      CONSUMPTION_END_DATE: '2026-10-31',
      QUANTITY: '31',
      CUSTOMER_ORG_ID: 'org-1',
      CUSTOMER_EXTERNAL_ID: 'ext-1',
      SUBSCRIBER_ID: 'sub-1',
      WORKSPACE_ID: '',
      ...over,
    };
    return USER_HEADER.map((c) => base[c] ?? '');
  };
  it.each([
    ['a subscriber line', {}, { entityId: 'sub-1', package: 'webex_calling', units: 310_000 }],
    ['a workspace line', { SUBSCRIBER_ID: '', WORKSPACE_ID: 'ws-1', SERVICE_NAME: 'COMMON_AREA_CALLING' }, { entityId: 'ws-1' }],
    ['dates with a time part', { CONSUMPTION_START_DATE: '2026-10-01T00:00:00Z' }, { entityId: 'sub-1' }],
  ])('reads %s', (_n, over, want) => {
    const r = readFileLine(row(over), layout, PERIOD);
    expect(r.ok && r.line).toMatchObject(want);
  });
  it.each([
    ['no subscriber nor workspace', { SUBSCRIBER_ID: '' }, /both SUBSCRIBER_ID and WORKSPACE_ID are empty/],
    ['a quantity that is not a number', { QUANTITY: 'n/a' }, /QUANTITY "n\/a" is not a number/],
    ['a line of another month', { CONSUMPTION_START_DATE: '2026-09-30' }, /2026-09-30 is outside the period 2026-10-01..2026-10-31/],
    ['a bad date', { CONSUMPTION_END_DATE: '31/10/2026' }, /is not a YYYY-MM-DD date/],
    ['an empty service', { SERVICE_NAME: '' }, /SERVICE_NAME is empty/],
  ])('refuses %s', (_n, over, message) => {
    const r = readFileLine(row(over), layout, PERIOD);
    expect(r.ok ? '' : r.message).toMatch(message);
  });
});

describe('reading a billing report CSV as it streams', () => {
  // Shuffled columns, an unknown column, a BOM, CRLF, quoted commas and quotes, a multi-byte name split across chunks.
  const header = ['QUANTITY', 'SUBSCRIBER_ID', 'NOTES', ...USER_HEADER.filter((c) => c !== 'QUANTITY' && c !== 'SUBSCRIBER_ID')];
  const line = (q: string, sub: string, notes: string, ext: string) => {
    const v: Record<string, string> = {
      QUANTITY: q,
      SUBSCRIBER_ID: sub,
      NOTES: notes,
      PARTNER_NAME: '"Zoë, ""the"" Partner"',
      SERVICE_NAME: 'WEBEX_CALLING',
      CONSUMPTION_START_DATE: '2026-10-01',
      CONSUMPTION_END_DATE: '2026-10-31',
      CUSTOMER_EXTERNAL_ID: ext,
    };
    return header.map((c) => v[c] ?? '').join(',');
  };
  const text = `\uFEFF${header.join(',')}\r\n${line('31', 's1', '"a, b"', 'x')}\r\n${line('0.5', 's2', '', '"ext, with comma"')}\r\n\r\n${line('2', 's3', '"say ""hi"""', 'y')}\r\n`;

  it('reads every line by header name, in batches, whatever the chunking', async () => {
    for (const size of [1, 3, 7, 4096]) {
      const { result, lines, batches } = await readAll(text, size);
      expect(result).toEqual({ ok: true, value: { type: 'USER', lines: 3 } });
      expect(lines.map((l) => [l.entityId, l.units, l.customerExternalId])).toEqual([
        ['s1', 310_000, 'x'],
        ['s2', 5_000, 'ext, with comma'],
        ['s3', 20_000, 'y'],
      ]);
      expect(batches).toEqual([2, 1]);
    }
  });

  it('reads LF files too', async () => {
    const { result, lines } = await readAll(text.replace(/\r\n/g, '\n'));
    expect(result.ok).toBe(true);
    expect(lines).toHaveLength(3);
  });

  it('refuses a file missing a column, naming it, before any line is handed on', async () => {
    const cut = text.replace('CUSTOMER_EXTERNAL_ID', 'CUSTOMER_REF');
    const { result, lines } = await readAll(cut);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/^not a Webex billing report: missing column\(s\) CUSTOMER_EXTERNAL_ID \(/);
    expect(lines).toEqual([]);
  });

  it('refuses an empty file as not a billing report', async () => {
    const { result } = await readAll('');
    expect(!result.ok && result.problems[0]!.message).toMatch(/missing column\(s\) SERVICE_NAME, CONSUMPTION_START_DATE/);
  });

  it('names the lines that are wrong and hands on nothing after the first', async () => {
    const bad = `${header.join(',')}\n${line('1', 's1', '', 'x')}\n${line('1', 's2', '', 'x')}\n${line('lots', 's3', '', 'x')}\n${line('1', '', '', 'x')}\n`;
    const { result, lines } = await readAll(bad);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => p.message)).toEqual([
        'line 4: QUANTITY "lots" is not a number',
        'line 5: both SUBSCRIBER_ID and WORKSPACE_ID are empty',
      ]);
    expect(lines.length).toBeLessThanOrEqual(2);
  });

  it('stops reading past the size cap, in the header or in a line', async () => {
    for (const cap of [100, 300]) {
      const { result } = await readAll(text, 7, cap);
      expect(!result.ok && result.problems).toEqual([{ code: 'body_too_large', message: `the file is larger than ${cap} bytes` }]);
    }
  });
});
