import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LIST_BYTES } from '../../src/api/compliance-routes.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const HEADER = '_id,source,name,alt_names,addresses,country\n';
const encoder = new TextEncoder();
const row = (i: number, prefix: string) =>
  `${prefix}-${i},SDN,Generated Trading Company ${i},Gen ${i} Ltd;GT ${i},"${i} Harbour Road, Port",AE\n`;

/**
 * A CSV generated as it is sent: `rows` rows (the one numbered `bad`, if any, with a bad country),
 * then `padding` bytes of empty lines; `hold` keeps the stream open after that until it resolves.
 */
function csvStream(opts: { rows: number; prefix: string; bad?: number; badRows?: number; padding?: number; hold?: Promise<unknown> }) {
  let i = 0;
  let padded = 0;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i === 0 && sent === 0) {
        sent += HEADER.length;
        controller.enqueue(encoder.encode(HEADER));
        return;
      }
      if (i < opts.rows) {
        let text = '';
        for (const end = Math.min(opts.rows, i + 1000); i < end; i += 1) {
          const isBad = opts.bad !== undefined && i >= opts.bad && i < opts.bad + (opts.badRows ?? 1);
          text += isBad ? `${opts.prefix}-${i},SDN,Bad Row ${i},,,XYZ\n` : row(i, opts.prefix);
        }
        sent += text.length;
        controller.enqueue(encoder.encode(text));
        return;
      }
      if (padded < (opts.padding ?? 0)) {
        const n = Math.min(1024 * 1024, (opts.padding ?? 0) - padded);
        padded += n;
        controller.enqueue(new Uint8Array(n).fill(0x0a));
        return;
      }
      if (opts.hold) await opts.hold;
      controller.close();
    },
  });
  return stream;
}

describe(`streamed screening-list upload on ${testDbKind()}`, () => {
  let h: TestHarness;
  let server: ServerType;
  let base: string;

  const upload = (body: ReadableStream<Uint8Array> | string, signal?: AbortSignal) =>
    fetch(`${base}/v1/compliance/screening-list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body,
      signal,
      // Node's fetch needs this to send a stream (chunked, no Content-Length).
      duplex: 'half',
    } as RequestInit);
  const activeList = async () => {
    const v = await h.db.selectFrom('screening_list_versions').select(['id', 'entry_count']).where('active', '=', true).executeTakeFirst();
    const entries = await h.db
      .selectFrom('screening_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const versions = await h.db
      .selectFrom('screening_list_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { id: v?.id, count: v?.entry_count, allEntries: Number(entries.n), versions: Number(versions.n) };
  };

  beforeAll(async () => {
    h = await createTestHarness({ screeningList: false });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const first = await upload(HEADER + row(1, 'first') + row(2, 'first'));
    expect(first.status).toBe(201);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  it('loads a 40,000-row list streamed in while every /healthz probe is answered', async () => {
    const rssBefore = process.memoryUsage().rss;
    let done = false;
    const latencies: number[] = [];
    const probing = (async () => {
      while (!done) {
        const started = performance.now();
        const res = await fetch(`${base}/healthz`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    try {
      const res = await upload(csvStream({ rows: 40_000, prefix: 'big' }));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ entries: 40_000, status: 'active' });
    } finally {
      done = true;
      clearInterval(sampler);
      await probing;
    }
    expect(latencies.length).toBeGreaterThan(0);
    console.log(
      `screening upload (40,000 rows, ${testDbKind()}): ${latencies.length} /healthz probes, all answered, max ${Math.max(...latencies).toFixed(0)} ms; ` +
        `RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(peakRss / 1e6).toFixed(0)} MB`,
    );
    const active = await activeList();
    expect(active.count).toBe(40_000);
    expect(active.allEntries).toBe(40_002);
  });

  it('answers a list full of bad rows before the upload ends: read as it arrives, not buffered whole', async () => {
    const before = await activeList();
    let released = false;
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = () => {
        released = true;
        resolve();
      };
    });
    // 60 bad rows, then the client holds the stream open: only a streaming reader can answer now.
    const guard = setTimeout(release, 30_000);
    const res = await upload(csvStream({ rows: 2_000, prefix: 'held', bad: 1_000, badRows: 60, hold }));
    const answeredBeforeEnd = !released;
    clearTimeout(guard);
    release();
    expect(answeredBeforeEnd).toBe(true);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { description: string }[] };
    expect(body.errors).toHaveLength(50);
    expect(body.errors[0]?.description).toBe('line 1002: country "XYZ" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)');
    expect(await activeList()).toEqual(before);
  });

  it('refuses a bad row deep in a big file with its line, and keeps the previous list active', async () => {
    const before = await activeList();
    const res = await upload(csvStream({ rows: 30_000, prefix: 'deep', bad: 25_000 }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toBe('line 25002: country "XYZ" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)');
    expect(await activeList()).toEqual(before);
  });

  it(`refuses an upload past ${MAX_LIST_BYTES} bytes while streaming it (413), and stores nothing of it`, async () => {
    const before = await activeList();
    const res = await upload(csvStream({ rows: 5_000, prefix: 'huge', padding: MAX_LIST_BYTES }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { errorCode: number }[] }).errors[0]?.errorCode).toBe(4130);
    expect(await activeList()).toEqual(before);
    // Declared too large: refused before reading.
    const declared = await fetch(`${base}/v1/compliance/screening-list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'content-length': String(MAX_LIST_BYTES + 1) },
      body: HEADER,
    }).catch((error: unknown) => error);
    // fetch refuses a Content-Length that does not match the body; the in-process request does not.
    if (declared instanceof Response) expect(declared.status).toBe(413);
    const inProcess = await h.app.request('/v1/compliance/screening-list', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'content-length': String(MAX_LIST_BYTES + 1) },
      body: HEADER,
    });
    expect(inProcess.status).toBe(413);
    expect(await activeList()).toEqual(before);
  });
});
