import { sql } from 'kysely';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/create-db.js';
import { runLongWork } from '../../src/db/run-in-transaction.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/** PostgreSQL's own cancellation of a statement past statement_timeout. */
const isStatementTimeout = (e: unknown) => (e as { code?: string }).code === '57014' || /read timeout/i.test(String(e));

describe.runIf(testDbKind() === 'postgres')('long-running work on postgres', () => {
  let testDb: TestDatabase;
  let handle: DbHandle;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await (await testDb.open()).db.destroy();
    // One connection, so the statement after long work runs on the very connection that did it.
    handle = await createDb({
      DATABASE_URL: testDb.url,
      DATA_DIR: 'unused',
      DB_STATEMENT_TIMEOUT_MS: 300,
      DB_LONG_STATEMENT_TIMEOUT_MS: 20_000,
    });
  });
  afterAll(async () => {
    await handle?.db.destroy();
    await testDb?.dispose();
  });

  it('lets a statement run past the request timeout inside long work, and past the client-side wait too', async () => {
    // 2.6 s: past the server's 300 ms and the client's own wait (300 ms + 2 s) that guards a silent server.
    const r = await runLongWork(handle.db, (trx) => sql<{ ok: number }>`select 1 as ok from pg_sleep(2.6)`.execute(trx));
    expect(r.rows[0]!.ok).toBe(1);
  });

  it('still cancels the same statement in an ordinary transaction, before and after long work', async () => {
    const slow = () => handle.db.transaction().execute((trx) => sql`select pg_sleep(1)`.execute(trx));
    await expect(slow()).rejects.toSatisfy(isStatementTimeout);
    await runLongWork(handle.db, (trx) => sql`select pg_sleep(0.5)`.execute(trx));
    // SET LOCAL ended with the long work's transaction: its connection is back on the request timeout.
    await expect(slow()).rejects.toSatisfy(isStatementTimeout);
    await expect(sql`select pg_sleep(1)`.execute(handle.db)).rejects.toSatisfy(isStatementTimeout);
  });
});

describe(`reports and reconciliations at scale on ${testDbKind()}`, () => {
  let h: TestHarness;
  const customers: string[] = [];
  /** The desk's own USER report for October. */
  let userCsv = '';
  let userReportId = '';
  /** The reconciliation upload limit, lowered so a file "too large" is small enough for a test. */
  const LIMIT = 16 * 1024 * 1024;

  async function report(type: string): Promise<{ id: string; csv: string }> {
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-10-01',
      billingEndDate: '2026-10-31',
      type,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const id = (await res.json()).id as string;
    await h.worker.drain();
    const body = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
    expect(body.status, JSON.stringify(body.errors)).toBe('COMPLETED');
    const url = new URL(body.tempDownloadURL);
    return { id, csv: await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text() };
  }

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-09-01T00:00:00Z', env: { RECONCILIATION_MAX_BYTES: String(LIMIT) } });
    const templateId = await defaultTemplateId(h);
    for (const name of ['oak', 'elm', 'ash'])
      customers.push(
        (
          await provisionCustomer(
            h,
            customerBody(templateId, { externalId: name, customerInfo: { name: `${name} Co`, primaryEmail: `admin@${name}.example` } }),
          )
        ).id,
      );
    let n = 0;
    for (const [i, customerId] of customers.entries())
      for (let k = 0; k < 3 + i; k += 1) {
        const res = await h.call('POST', '/v1/wholesale/subscribers', {
          customerId,
          email: `u${n}@scale.example`,
          packages: [n % 2 ? 'webex_meetings' : 'webex_calling'],
          provisioningParameters: { firstName: `U${n}`, lastName: 'Scale', extension: String(4000 + n) },
        });
        expect(res.status, await res.clone().text()).toBe(200);
        n += 1;
      }
    await h.worker.drain();
    h.clock.set('2026-11-15T12:00:00Z');
    const user = await report('USER');
    userCsv = user.csv;
    userReportId = user.id;
  });
  afterAll(() => h?.close());

  it('numbers the chunks 0, 1, 2… in line order, each a run of one customer’s lines of one package', async () => {
    const chunks = (
      await sql<{ seq: number; lines: number; body: string }>`
        select seq, lines, body from billing_report_chunks where report_id = ${userReportId} order by seq`.execute(h.db)
    ).rows;
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    const rows = parseCsv(userCsv);
    expect(chunks.reduce((a, c) => a + c.lines, 0)).toBe(rows.length);
    // The chunks in seq order are exactly the CSV after its header.
    expect(chunks.map((c) => c.body).join('')).toBe(userCsv.slice(userCsv.indexOf('\r\n') + 2));
    let line = 0;
    for (const c of chunks) {
      const own = rows.slice(line, line + c.lines);
      line += c.lines;
      expect(new Set(own.map((r) => `${r.SERVICE_NAME}|${r.CUSTOMER_EXTERNAL_ID}`)).size).toBe(1);
    }
    // Three customers, two packages each: a chunk per customer and package.
    expect(chunks).toHaveLength(6);
  });

  it('reconciles the desk’s own report streamed in, matching every line', async () => {
    const res = await upload(streamOf(userCsv, 1));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.fileLines).toBe(parseCsv(userCsv).length);
    expect(body.classes.match.lines).toBe(parseCsv(userCsv).length);
  });

  it('refuses a file past RECONCILIATION_MAX_BYTES while it streams, without reading the rest', async () => {
    const header = userCsv.slice(0, userCsv.indexOf('\r\n') + 2);
    const lines = userCsv.slice(header.length);
    // Twice the limit.
    const copies = Math.ceil((2 * LIMIT) / lines.length);
    const produced = { bytes: 0 };
    const res = await upload(streamOf(userCsv, copies, produced));
    expect(res.status).toBe(413);
    expect((await res.json()).message).toMatch(/larger than 16777216 bytes/);
    // Reading stopped at the limit (plus what was in flight), far short of the whole file.
    expect(produced.bytes).toBeLessThan(LIMIT + 1024 * 1024);
  });

  it.runIf(testDbKind() === 'postgres')('holds a file of many times its batch size with memory flat', async () => {
    // Just under the (lowered) limit: the same lines repeated, each repeat summed into its key.
    const lines = userCsv.slice(userCsv.indexOf('\r\n') + 2);
    const copies = Math.floor((LIMIT - userCsv.length) / lines.length);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const memory = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = memory();
    let peak = 0;
    const produced = { bytes: 0 };
    const sampleEvery = 256 * 1024;
    let next = sampleEvery;
    const res = await upload(
      streamOf(userCsv, copies, produced, () => {
        if (produced.bytes < next) return;
        next += sampleEvery;
        gc();
        peak = Math.max(peak, memory() - base);
      }),
    );
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.fileLines).toBe(parseCsv(userCsv).length * copies);
    // Every key's quantity is the desk's times the copies: all quantity differences, none lost.
    expect(body.classes.quantity_difference.lines).toBe(parseCsv(userCsv).length);
    expect(produced.bytes).toBeGreaterThan(LIMIT * 0.9);
    // Held at once: a batch of lines and the chunks in flight, not the file.
    expect(peak).toBeLessThan(LIMIT / 2);
  });

  const upload = (body: ReadableStream<Uint8Array>) =>
    Promise.resolve(
      h.app.request('/v1/billing/reconciliations?billingStartDate=2026-10-01&billingEndDate=2026-10-31', {
        method: 'POST',
        headers: { authorization: `Bearer ${'wdk_test_admin_token_0123456789abcdef'}`, 'content-type': 'text/csv' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
});

/**
 * The CSV's header and then its lines `copies` times, produced 64 KiB at a time only as the reader
 * pulls (so what was produced is what the service has read); `produced` counts the bytes.
 */
function streamOf(csv: string, copies: number, produced = { bytes: 0 }, onPull?: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const headerEnd = csv.indexOf('\r\n') + 2;
  const header = encoder.encode(csv.slice(0, headerEnd));
  const lines = encoder.encode(csv.slice(headerEnd));
  let copy = -1;
  let pending = new Uint8Array(0);
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        onPull?.();
        while (pending.byteLength < 64 * 1024 && copy < copies) {
          const part = copy < 0 ? header : lines;
          copy += 1;
          const joined = new Uint8Array(pending.byteLength + part.byteLength);
          joined.set(pending);
          joined.set(part, pending.byteLength);
          pending = joined;
        }
        if (pending.byteLength === 0) {
          controller.close();
          return;
        }
        const out = pending.slice(0, 64 * 1024);
        pending = pending.slice(out.byteLength);
        produced.bytes += out.byteLength;
        controller.enqueue(out);
      },
    },
    { highWaterMark: 0 },
  );
}
