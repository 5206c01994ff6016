import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * The download writes each read's chunk bodies straight into one UTF-8 buffer (sized by their byte
 * length, not their character count): the file must be the stored text byte for byte, across reads,
 * with characters of two, three and four bytes.
 */
describe(`a report download is its chunks' text, byte for byte, on ${testDbKind()}`, () => {
  let h: TestHarness;
  afterAll(() => h?.close());
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-11-15T12:00:00Z' });
  });

  it('serves multi-byte text in order across several reads', async () => {
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-10-01',
      billingEndDate: '2026-10-31',
      type: 'PARTNER',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const id = (await res.json()).id as string;
    await h.worker.drain();
    const report = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
    expect(report.status, JSON.stringify(report.errors)).toBe('COMPLETED');

    // Twelve one-line chunks: the first read takes four, the next the rest (src/db/repositories/billing-reports.ts).
    const bodies = Array.from({ length: 12 }, (_, i) => `pkg-${i},Zürich ${'€'.repeat(i)},😀${i}\r\n`);
    await sql`delete from billing_report_chunks where report_id = ${id}`.execute(h.db);
    for (const [seq, body] of bodies.entries())
      await h.db.insertInto('billing_report_chunks').values({ report_id: id, seq, lines: 1, body }).execute();

    const url = new URL(report.tempDownloadURL);
    const download = await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    const text = bytes.toString('utf8');
    const body = text.slice(text.indexOf('\r\n') + 2);
    expect(body).toBe(bodies.join(''));
    expect(bytes.byteLength).toBe(Buffer.byteLength(text));
    expect(Buffer.from(body, 'utf8').equals(bytes.subarray(bytes.byteLength - Buffer.byteLength(body)))).toBe(true);
  });
});
