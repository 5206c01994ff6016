import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, readScreeningCsv } from '../../src/use-cases/read-screening-csv.js';

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
