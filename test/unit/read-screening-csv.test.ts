import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { NewScreeningEntry } from '../../src/db/repositories/screening-lists.js';
import { MAX_LINE_BYTES, PARSE_PIECE_BYTES, readScreeningCsv } from '../../src/use-cases/read-screening-csv.js';

const encoder = new TextEncoder();

/** `x,"`, then `lines` lines of `a`, then the closing quote: one quoted field spanning every line. Counts what was read. */
function openQuote(prefix: string, lines: number) {
  const counter = { bytes: 0 };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const first = encoder.encode(`${prefix}x,"`);
    counter.bytes += first.byteLength;
    yield first;
    const block = encoder.encode('a\n'.repeat(32 * 1024));
    for (let sent = 0; sent < lines; sent += 32 * 1024) {
      counter.bytes += block.byteLength;
      yield block;
    }
    counter.bytes += 1;
    yield encoder.encode('"\n');
  }
  return { chunks: chunks(), counter };
}

describe('screening list record-length cap', () => {
  it.each([
    ['with a header first', '_id,source,name,alt_names,addresses,country\n'],
    ['as the first record', ''],
  ])('refuses a quoted field spanning 5M lines early (%s), without reading the 10 MB', async (_label, prefix) => {
    const { chunks, counter } = openQuote(prefix, 5_000_000);
    const batches: unknown[] = [];
    const result = await readScreeningCsv(chunks, {
      maxBytes: 64 * 1024 * 1024,
      batchSize: 100,
      onBatch: async (b) => {
        batches.push(b);
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toMatch(/a record longer than 1048576 characters \(a quoted field left open\?\)/);
    // Refused once the record passed the cap: far short of the 10 MB sent.
    expect(counter.bytes).toBeLessThan(3 * MAX_LINE_BYTES);
    expect(batches).toEqual([]);
  });
});

const HEADER = '_id,source,name,alt_names,addresses,country\n';
/** `rows` rows of ~100 bytes; every 37th has an address quoted across two lines, every 50th no country. */
function listText(rows: number, last = '') {
  let text = HEADER;
  for (let i = 0; i < rows; i += 1) {
    const address = i % 37 === 0 ? `"${i} Harbour Road,\nPort City"` : `"${i} Harbour Road, Port City"`;
    text += `id-${i},Generated List (GL),Name Number ${i} Trading LLC,Alt ${i};Other ${i},${address},${i % 50 === 0 ? '' : 'AE'}\n`;
  }
  return text + last;
}

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function read(bytes: Uint8Array, chunkSize: number, onBatch: (b: NewScreeningEntry[]) => void = () => undefined) {
  const entries: NewScreeningEntry[] = [];
  const result = await readScreeningCsv(inChunks(bytes, chunkSize), {
    maxBytes: 64 * 1024 * 1024,
    batchSize: 100,
    onBatch: async (b) => {
      entries.push(...b);
      onBatch(b);
    },
  });
  return { result, entries };
}

describe('screening list read in pieces', () => {
  it('hands the event loop back between pieces: a 1 MB chunk is never parsed in one go', async () => {
    const bytes = encoder.encode(listText(10_000));
    expect(bytes.length).toBeGreaterThan(1_000_000);
    // Counts event-loop turns; the rows stored in each turn are what the loop was held for.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const rowsInTurn = new Map<number, number>();
    const firstTurn = turn;
    const { result } = await read(bytes, bytes.length, (b) => rowsInTurn.set(turn, (rowsInTurn.get(turn) ?? 0) + b.length));
    ticking = false;
    expect(result).toEqual({ ok: true, value: { entries: 10_000 } });
    const rowBytes = bytes.length / 10_000;
    // One piece's rows, plus a batch begun in the piece before.
    expect(Math.max(...rowsInTurn.values())).toBeLessThanOrEqual(Math.ceil(PARSE_PIECE_BYTES / rowBytes) + 100);
    // A turn at least for every piece.
    expect(turn - firstTurn).toBeGreaterThanOrEqual(Math.floor(bytes.length / PARSE_PIECE_BYTES));
  });

  it.each([
    ['one chunk', 1 << 30],
    ['64 KiB chunks', 64 * 1024],
    ['7-byte chunks', 7],
  ])('reads the same entries however the upload is cut (%s), a BOM and quoted line ends included', async (_label, chunkSize) => {
    const text = listText(3_000);
    const { result, entries } = await read(encoder.encode(`\uFEFF${text}`), chunkSize);
    expect(result).toEqual({ ok: true, value: { entries: 3_000 } });
    const expected = (parse(text, { columns: true }) as Record<string, string>[]).map((r) => ({
      id: r._id,
      source: r.source,
      name: r.name,
      addresses: r.addresses,
      altNames: r.alt_names!.split(';'),
      country: r.country || null,
    }));
    expect(entries).toEqual(expected);
  });

  it.each([
    ['one chunk', 1 << 30],
    ['7-byte chunks', 7],
  ])('names the line of a bad row or a bad byte past the first pieces (%s)', async (_label, chunkSize) => {
    // The header, then 3,000 rows on 3,082 lines (every 37th spans two): the bad row is on line 3,084.
    const badCountry = await read(encoder.encode(listText(3_000, 'x-1,GL,Name,,,ZZZ\n')), chunkSize);
    expect(badCountry.result.ok ? [] : badCountry.result.problems.map((p) => p.message)).toEqual([
      'line 3084: country "ZZZ" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)',
    ]);
    const latin1 = encoder.encode(listText(3_000, 'x-1,GL,Caf?,,,\n'));
    latin1[latin1.length - 6] = 0xe9;
    const badByte = await read(latin1, chunkSize);
    expect(badByte.result.ok ? [] : badByte.result.problems.map((p) => p.message)).toEqual([
      'line 3084, byte 10: not UTF-8 (0xE9); save the file as UTF-8 (in Excel: CSV UTF-8) and send it again',
    ]);
  });
});
