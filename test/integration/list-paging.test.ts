import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLiveRows, LIVE_COUNT_PARTS_TO_COMPACT } from '../../src/db/repositories/live-row-counts.js';
import { addSubscriber, type Body, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * The customers and subscribers lists at any depth (issue 28): an offset page past the middle is read
 * from the other end of the index with the count kept in live_row_counts, and must be exactly the page
 * the forward walk gives; the Link header's rel="next" carries a keyset cursor, and following it visits
 * every row once, in order, also while rows come and go between pages.
 */
describe(`list paging (offset from either end, keyset cursors) on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateCustomer: Body;
  let templateSubscriberId: string;
  let clone = 0;

  type Sort = { sortBy: 'created' | 'lastStatusChange'; sortOrder: 'ASC' | 'DESC' };
  const SORTS: Sort[] = [
    { sortBy: 'created', sortOrder: 'ASC' },
    { sortBy: 'created', sortOrder: 'DESC' },
    { sortBy: 'lastStatusChange', sortOrder: 'ASC' },
    { sortBy: 'lastStatusChange', sortOrder: 'DESC' },
  ];

  /**
   * Copies of the template rows with ids in no relation to their instants, instants repeating in threes
   * (the id breaks the tie) and carrying microseconds (a cursor that kept milliseconds would skip rows).
   */
  const addSubscribers = async (n: number, base = '2026-06-01T00:00:00Z') => {
    const from = (clone += n) - n;
    await sql`
      insert into subscribers
      select (jsonb_populate_record(s, jsonb_build_object(
        'id', 'sub-' || md5(${String(from)} || '-' || g),
        'email', 'clone-' || ${String(from)} || '-' || g || '@paging.example',
        'extension', null,
        'created_at', ${base}::timestamptz + ((g / 3) * interval '1.000001 second'),
        'last_status_change', ${base}::timestamptz + (((g * 7) % ${n}) / 2) * interval '0.500003 second'))).*
      from subscribers s, generate_series(1, ${n}::int) g where s.id = ${templateSubscriberId}`.execute(h.db);
  };
  const addCustomers = async (n: number, base = '2026-06-01T00:00:00Z') => {
    const from = (clone += n) - n;
    await sql`
      insert into customers
      select (jsonb_populate_record(c, jsonb_build_object(
        'id', 'cus-' || md5(${String(from)} || '-' || g),
        'external_id', 'paging-' || ${String(from)} || '-' || g,
        'org_id', null,
        'created_at', ${base}::timestamptz + ((g / 3) * interval '1.000001 second')))).*
      from customers c, generate_series(1, ${n}::int) g where c.id = ${templateCustomer.id}`.execute(h.db);
  };
  /** Marks every k-th live row removed, through an UPDATE as the use-cases do. */
  const removeEvery = async (table: 'customers' | 'subscribers', k: number, except: string[]) => {
    await sql`
      update ${sql.table(table)} set status = 'deleted'
      where id in (select id from ${sql.table(table)} where partner_id = ${h.partnerId} and status <> 'deleted'
                   and not (id = any(${except}::text[])) and abs(hashtext(id)) % ${k}::int = 0)`.execute(h.db);
  };

  /** The partner's live rows in the list's order, straight from the table (what the forward walk answers). */
  const reference = async (table: 'customers' | 'subscribers', sort: Sort = { sortBy: 'created', sortOrder: 'ASC' }) => {
    const column = sort.sortBy === 'lastStatusChange' ? 'last_status_change' : 'created_at';
    const dir = sql.raw(sort.sortOrder === 'DESC' ? 'desc' : 'asc');
    const r = await sql<{ id: string }>`
      select id from ${sql.table(table)} where partner_id = ${h.partnerId} and status <> 'deleted'
      order by ${sql.ref(column)} ${dir}, id ${dir}`.execute(h.db);
    return r.rows.map((row) => row.id);
  };

  const get = async (path: string) => {
    const res = await h.call('GET', path);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
    const links = Object.fromEntries(
      [...(res.headers.get('link') ?? '').matchAll(/<http:\/\/desk\.test([^>]*)>; rel="(\w+)"/g)].map((m) => [m[2]!, m[1]!]),
    );
    return { ids: (JSON.parse(text).items as Body[]).map((i) => i.id as string), next: links.next, first: links.first };
  };

  /** Follows rel="next" from the first page to the end, optionally changing the data between pages. */
  const walk = async (path: string, between?: (page: number, seen: string[]) => Promise<void>) => {
    const seen: string[] = [];
    let url: string | undefined = path;
    for (let page = 0; url; page += 1) {
      if (page > 500) throw new Error('the walk does not end');
      const got = await get(url);
      seen.push(...got.ids);
      url = got.next;
      if (url && between) await between(page, seen);
    }
    return seen;
  };

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    const templateId = await defaultTemplateId(h);
    templateCustomer = await provisionCustomer(h, customerBody(templateId, { externalId: 'paging-template' }));
    templateSubscriberId = (await addSubscriber(h, templateCustomer.id, 'template@paging.example', 'webex_calling')).id;
    await addCustomers(45);
    await addSubscribers(150);
    await removeEvery('customers', 7, [templateCustomer.id]);
    await removeEvery('subscribers', 7, [templateSubscriberId]);
  });
  afterAll(() => h.close());

  it('keeps live_row_counts equal to the live rows through inserts, updates and deletes', async () => {
    for (const table of ['customers', 'subscribers'] as const)
      expect(await countLiveRows(h.db, h.partnerId, table)).toBe((await reference(table)).length);
    // A real DELETE of a live row and of a removed one (a removed row was never counted).
    const [live] = await reference('subscribers');
    const removed = await h.db
      .selectFrom('subscribers')
      .select('id')
      .where('partner_id', '=', h.partnerId)
      .where('status', '=', 'deleted')
      .executeTakeFirstOrThrow();
    const before = await countLiveRows(h.db, h.partnerId, 'subscribers');
    await h.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('package_events').where('subscriber_id', 'in', [live!, removed.id]).execute();
      await trx.deleteFrom('subscribers').where('id', 'in', [live!, removed.id]).execute();
    });
    expect(await countLiveRows(h.db, h.partnerId, 'subscribers')).toBe(before - 1);
    // Moves between live statuses, and back from removed, in one statement.
    const [a, b] = (await reference('subscribers')).slice(1, 3);
    const back = await h.db
      .selectFrom('subscribers')
      .select('id')
      .where('partner_id', '=', h.partnerId)
      .where('status', '=', 'deleted')
      .executeTakeFirstOrThrow();
    await h.db.updateTable('subscribers').set({ status: 'error' }).where('id', '=', a!).execute();
    await h.db
      .updateTable('subscribers')
      .set({ status: sql`case when id = ${back.id} then 'provisioned' else 'deleted' end` })
      .where('id', 'in', [b!, back.id])
      .execute();
    expect(await countLiveRows(h.db, h.partnerId, 'subscribers')).toBe((await reference('subscribers')).length);
  });

  describe('an offset page is the same page from either end of the index', () => {
    for (const [table, path, maxes] of [
      ['customers', '/v1/wholesale/customers', [1, 7, 1000]],
      ['subscribers', '/v1/wholesale/subscribers', [1, 7, 100]],
    ] as const)
      for (const sort of table === 'customers' ? [SORTS[0]!] : SORTS)
        it(`${table} sorted by ${sort.sortBy} ${sort.sortOrder}: offsets 0, around the middle, the last pages and past the end`, async () => {
          const all = await reference(table, sort);
          const n = all.length;
          const mid = Math.floor(n / 2);
          const query = table === 'customers' ? '' : `&sortBy=${sort.sortBy}&sortOrder=${sort.sortOrder}`;
          for (const max of maxes) {
            const offsets = [0, 1, mid - 1, mid, mid + 1, n - max - 1, n - max, n - 2, n - 1, n, n + 1, n + 50].filter((o) => o >= 0);
            for (const offset of offsets) {
              const got = await get(`${path}?max=${max}&offset=${offset}${query}`);
              expect(got.ids, `max ${max} offset ${offset} of ${n}`).toEqual(all.slice(offset, offset + max));
              expect(got.next !== undefined, `next link at max ${max} offset ${offset} of ${n}`).toBe(offset + max < n);
            }
          }
        });

    it('reads a page past the middle from the kept count (a wrong count moves only those pages)', async () => {
      const all = await reference('subscribers');
      const n = all.length;
      // One appended row of +3 makes the kept count wrong: the walk from the start does not read it...
      await h.db.insertInto('live_row_counts').values({ partner_id: h.partnerId, kind: 'subscribers', n: 3 }).execute();
      try {
        expect((await get('/v1/wholesale/subscribers?max=5&offset=10')).ids).toEqual(all.slice(10, 15));
        // ...the read from the other end does: it lands three rows earlier.
        expect((await get(`/v1/wholesale/subscribers?max=5&offset=${n - 10}`)).ids).toEqual(all.slice(n - 13, n - 8));
      } finally {
        await h.db.insertInto('live_row_counts').values({ partner_id: h.partnerId, kind: 'subscribers', n: -3 }).execute();
      }
      expect((await get(`/v1/wholesale/subscribers?max=5&offset=${n - 10}`)).ids).toEqual(all.slice(n - 10, n - 5));
    });

    it('folds the appended counts into one row once a list reads many, keeping the count', async () => {
      const n = (await reference('customers')).length;
      const many = LIVE_COUNT_PARTS_TO_COMPACT + 5;
      await h.db
        .insertInto('live_row_counts')
        .values(Array.from({ length: many }, (_, i) => ({ partner_id: h.partnerId, kind: 'customers' as const, n: i % 2 ? 1 : -1 })))
        .execute();
      const parts = async () =>
        Number(
          (
            await h.db
              .selectFrom('live_row_counts')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('partner_id', '=', h.partnerId)
              .where('kind', '=', 'customers')
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await parts()).toBeGreaterThan(LIVE_COUNT_PARTS_TO_COMPACT);
      await get(`/v1/wholesale/customers?max=2&offset=${n - 3}`);
      expect(await parts()).toBe(1);
      expect(await countLiveRows(h.db, h.partnerId, 'customers')).toBe(n + (many % 2 ? -1 : 0));
      await h.db
        .insertInto('live_row_counts')
        .values({ partner_id: h.partnerId, kind: 'customers', n: many % 2 ? 1 : 0 })
        .execute();
      expect(await countLiveRows(h.db, h.partnerId, 'customers')).toBe(n);
    });
  });

  describe('following Link rel="next" (keyset cursor)', () => {
    for (const sort of SORTS)
      it(`visits every subscriber once, in order (${sort.sortBy} ${sort.sortOrder})`, async () => {
        const q = `sortBy=${sort.sortBy}&sortOrder=${sort.sortOrder}`;
        const got = await walk(`/v1/wholesale/subscribers?max=7&${q}`);
        expect(got).toEqual(await reference('subscribers', sort));
        const first = await get(`/v1/wholesale/subscribers?max=7&${q}`);
        expect(first.next).toMatch(/cursor=/);
        expect(first.next).not.toMatch(/offset=/);
        expect(first.first).toBe(`/v1/wholesale/subscribers?max=7&${q}`);
      });

    it('visits every customer once, in order, and the first link drops offset and cursor', async () => {
      expect(await walk('/v1/wholesale/customers?max=4')).toEqual(await reference('customers'));
      const page = await get('/v1/wholesale/customers?max=4&offset=8');
      expect(page.first).toBe('/v1/wholesale/customers?max=4');
      // The cursor of a page asked by offset continues where that page ends.
      expect((await get(page.next!)).ids).toEqual((await reference('customers')).slice(12, 16));
    });

    it('keeps its place while rows are inserted and removed between pages: no repeats, no skips, in order', async () => {
      const start = await reference('subscribers');
      const removedAhead = new Set<string>();
      const got = await walk('/v1/wholesale/subscribers?max=6', async (page, seen) => {
        // Rows before the cursor (instants long past) and after it (instants still to come).
        await addSubscribers(2, '2026-05-01T00:00:00Z');
        await addSubscribers(2, '2026-07-01T00:00:00Z');
        // Remove a row already seen and one not reached yet.
        const ahead = start.filter((id) => !seen.includes(id) && !removedAhead.has(id));
        const victims = [seen[page % seen.length]!, ahead[ahead.length - 1 - page]].filter((id): id is string => id !== undefined);
        for (const id of victims) if (!seen.includes(id)) removedAhead.add(id);
        await h.db.updateTable('subscribers').set({ status: 'deleted' }).where('id', 'in', victims).execute();
      });
      expect(new Set(got).size).toBe(got.length);
      const order = await sql<{ id: string }>`
        select id from subscribers where id = any(${got}::text[]) order by created_at, id`.execute(h.db);
      expect(got).toEqual(order.rows.map((r) => r.id));
      // Every row live from start to end was seen; none removed before it was reached was.
      const stillLive = new Set(await reference('subscribers'));
      for (const id of start) if (stillLive.has(id)) expect(got).toContain(id);
      for (const id of removedAhead) expect(got).not.toContain(id);
      // Rows inserted ahead of the cursor (July) were reached; those behind it (May) were not.
      const late = await sql<{ id: string }>`
        select id from subscribers where partner_id = ${h.partnerId} and status <> 'deleted' and created_at >= '2026-07-01'`.execute(h.db);
      expect(late.rows.length).toBeGreaterThan(0);
      for (const r of late.rows) expect(got).toContain(r.id);
      const early = await sql<{ id: string }>`
        select id from subscribers where partner_id = ${h.partnerId} and created_at < '2026-06-01'`.execute(h.db);
      expect(early.rows.length).toBeGreaterThan(0);
      for (const r of early.rows) expect(got).not.toContain(r.id);
    });
  });

  describe('bad cursors are refused with what to fix', () => {
    const refusal = async (path: string) => {
      const res = await h.call('GET', path);
      const body = (await res.json()) as { errors: { errorCode: number; description: string }[] };
      return { status: res.status, errorCode: body.errors[0]?.errorCode, description: body.errors[0]?.description ?? '' };
    };
    const cursorOf = async (path: string) => new URL(`http://x${(await get(path)).next!}`).searchParams.get('cursor')!;
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

    it('refuses a malformed cursor, a changed one and one from another list or order', async () => {
      const subscribersCursor = await cursorOf('/v1/wholesale/subscribers?max=2');
      const customersCursor = await cursorOf('/v1/wholesale/customers?max=2');
      const decoded = JSON.parse(Buffer.from(subscribersCursor, 'base64url').toString());
      for (const [cursor, says] of [
        ['not a cursor!', /not one this list gave/],
        [b64('{"v":1'), /not one this list gave/],
        [b64({ ...decoded, v: 2 }), /not one this list gave/],
        [b64({ ...decoded, a: '2026-06-01T00:00:00Z' }), /not one this list gave/],
        [b64({ ...decoded, i: 7 }), /not one this list gave/],
        [customersCursor, /belongs to the customers list/],
        ['x'.repeat(1001), /./],
      ] as const) {
        const got = await refusal(`/v1/wholesale/subscribers?cursor=${encodeURIComponent(cursor)}`);
        expect(got.status, cursor).toBe(400);
        expect(got.description, cursor).toMatch(says);
      }
      const wrongOrder = await refusal(`/v1/wholesale/subscribers?cursor=${subscribersCursor}&sortOrder=DESC`);
      expect(wrongOrder).toMatchObject({ status: 400, errorCode: 2164 });
      expect(wrongOrder.description).toMatch(/sortBy=created, sortOrder=ASC/);
      expect(await refusal(`/v1/wholesale/customers?cursor=${subscribersCursor}`)).toMatchObject({ status: 400, errorCode: 2164 });
    });

    it('refuses offset and cursor together', async () => {
      const cursor = await cursorOf('/v1/wholesale/customers?max=2');
      const got = await refusal(`/v1/wholesale/customers?cursor=${cursor}&offset=2`);
      expect(got).toMatchObject({ status: 400, errorCode: 2164 });
      expect(got.description).toMatch(/either offset or cursor/);
    });

    it('documents cursor in the OpenAPI document of both lists', async () => {
      const doc = await (await h.call('GET', '/v1/openapi.json', undefined, { token: null })).json();
      for (const path of ['/wholesale/customers', '/wholesale/subscribers'])
        expect(doc.paths[path].get.parameters.map((p: { name: string }) => p.name)).toContain('cursor');
    });
  });
});
