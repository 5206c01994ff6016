import pg from 'pg';
import type { ScaleBenchContext, ScaleFigure } from './scale-seed.js';

/**
 * The read side of `npm run bench -- scale` (issue 28): one customer's page and invoice, the customers
 * and subscribers lists (first and last page), console search and the dashboard, each the p99 of
 * `BENCH_READ_REPEATS` (default 40) sequential requests to the running service after two warm-ups,
 * printed beside a floor measured in the same run on the same database: a plain indexed select of the
 * same rows (the customer's ledger facts, the same page of the table), timed the same way through a pg
 * client of its own. The dashboard is also timed once cold (the first request of a day: it answers from the
 * kept figures while the month-charges job refreshes the month in the background, timed too) and after ledger changes made through the API (a subscriber's
 * package, `BENCH_DASHBOARD_CHANGES` times, default 10: the request recomputes what the change touched).
 */
export async function measureScaleReads(ctx: ScaleBenchContext): Promise<ScaleFigure[]> {
  const repeats = Number(process.env.BENCH_READ_REPEATS ?? 40);
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const partnerId = ctx.seed.partnerId;
    const customerId = ctx.seed.sampleCustomerIds.at(-1)!;
    const month = ctx.seed.month.start.slice(0, 7);
    const get = async (path: string) => {
      const res = await fetch(`${ctx.serviceUrl}${path}`, { headers: ctx.headers });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 300)}`);
      return body;
    };
    const query = async (text: string, values: unknown[]) => {
      await client.query(text, values);
    };
    const figures: ScaleFigure[] = [];
    const figure = async (
      name: string,
      target: number,
      request: () => Promise<unknown>,
      floor: string,
      floorRun: () => Promise<unknown>,
    ) => {
      const floorMs = await p99(floorRun, repeats);
      try {
        const ms = await p99(request, repeats);
        figures.push({ name, ms, floorMs, floor, target: `p99 < ${target} ms`, met: ms < target });
      } catch (e) {
        // A failed request is a figure too (the 503 the issue found), never a crashed bench.
        figures.push({
          name: `${name}: FAILED (${(e as Error).message.slice(0, 120)})`,
          ms: Number.NaN,
          floorMs,
          floor,
          target: `p99 < ${target} ms`,
          met: false,
        });
      }
    };

    // The dashboard first: cold, nobody has asked for this month since the seed (what the first request of
    // each UTC day sees, and any request after a price-book or partner billing-start change). The month-charges
    // job computes the whole month in the background (it started with the service): the request answers at once
    // from the last kept figures, marked as of their day and refreshing, or says the month is being computed.
    type Billing = { billingThisMonth: { refreshing: boolean; asOf: string | null } };
    const coldStart = performance.now();
    let coldBilling: Billing['billingThisMonth'] | undefined;
    const cold = await get('/v1/console/dashboard').then(
      (body) => {
        coldBilling = (JSON.parse(body) as Billing).billingThisMonth;
        return coldBilling.refreshing ? (coldBilling.asOf ? `, as of ${coldBilling.asOf}, refreshing` : ', being computed') : ', current';
      },
      (e: Error) => `: FAILED (${e.message.slice(0, 120)})`,
    );
    const coldMs = performance.now() - coldStart;
    const statusFloor = () => query(`select status, count(*) from customers where partner_id = $1 group by status`, [partnerId]);
    const statusFloorMs = await p99(statusFloor, 5);
    figures.push({
      name: `dashboard, cold (first request of a day: answers from the kept figures${cold})`,
      ms: coldMs,
      floorMs: statusFloorMs,
      floor: 'customers counted by status',
      target: 'p99 < 500 ms',
      met: coldMs < 500,
    });
    // The background refresh: until the dashboard is current (polled twice a second, at most 10 minutes).
    if (coldBilling?.refreshing) {
      const deadline = Date.now() + 600_000;
      let current = false;
      while (!current && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        current = !(JSON.parse(await get('/v1/console/dashboard')) as Billing).billingThisMonth.refreshing;
      }
      figures.push({
        name: `dashboard, background refresh of the whole month (job, in batches; from the first request until current)${current ? '' : ': NOT DONE in 10 minutes'}`,
        ms: current ? performance.now() - coldStart : Number.NaN,
        floorMs: statusFloorMs,
        floor: 'customers counted by status',
      });
    }
    await figure('dashboard', 500, () => get('/v1/console/dashboard'), 'customers counted by status', statusFloor);

    // A ledger change through the API (one subscriber's package, back and forth), then the dashboard: the
    // first request after it recomputes what the change touched. Timed from the moment the fact is in the ledger.
    const changes = Number(process.env.BENCH_DASHBOARD_CHANGES ?? 10);
    const holder = (
      await client.query(
        `select id, package from subscribers where customer_id = $1 and status <> 'deleted' and package = 'webex_meetings' and not is_admin limit 1`,
        [customerId],
      )
    ).rows[0] as { id: string; package: string } | undefined;
    if (holder) {
      const facts = async () =>
        Number((await client.query(`select count(*) as n from package_events where subscriber_id = $1`, [holder.id])).rows[0].n);
      const times: number[] = [];
      let failed = '';
      for (let i = 0; i < changes && !failed; i += 1) {
        const before = await facts();
        const pkg = i % 2 === 0 ? 'webex_suite' : 'webex_meetings';
        const put = await fetch(`${ctx.serviceUrl}/v1/wholesale/subscribers/${encodeURIComponent(holder.id)}`, {
          method: 'PUT',
          headers: ctx.headers,
          body: JSON.stringify({ packages: [pkg] }),
        });
        if (put.status !== 200) {
          failed = `: FAILED (PUT ${put.status} ${(await put.text()).slice(0, 120)})`;
          break;
        }
        await put.text();
        const deadline = Date.now() + 60_000;
        while (!failed && (await facts()) === before) {
          if (Date.now() > deadline) failed = ': FAILED (the change never reached the ledger)';
          else await new Promise((r) => setTimeout(r, 20));
        }
        if (failed) break;
        const t = performance.now();
        await get('/v1/console/dashboard').catch((e: Error) => {
          failed = `: FAILED (${e.message.slice(0, 120)})`;
        });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const ms = failed ? Number.NaN : times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!;
      figures.push({
        name: `dashboard, first request after a ledger change (p99 of ${times.length}, a package changed through the API)${failed}`,
        ms,
        floorMs: statusFloorMs,
        floor: 'customers counted by status',
        target: 'p99 < 500 ms',
        met: ms < 500,
      });
    }

    const ledgerFloor = () =>
      query(`select * from package_events where partner_id = $1 and customer_id = $2 order by effective_at`, [partnerId, customerId]);
    await figure(
      "one customer's page",
      200,
      () => get(`/v1/console/customers/${encodeURIComponent(customerId)}`),
      "the customer's ledger rows (indexed select)",
      ledgerFloor,
    );
    await figure(
      'one invoice (the billed month)',
      200,
      () => get(`/v1/billing/invoices?customerId=${encodeURIComponent(customerId)}&month=${month}`),
      "the customer's ledger rows (indexed select)",
      ledgerFloor,
    );

    const page = 100;
    const live = async (table: 'customers' | 'subscribers') =>
      Number(
        (await client.query(`select count(*) as n from ${table} where partner_id = $1 and status <> 'deleted'`, [partnerId])).rows[0].n,
      );
    const lastCustomers = Math.max(0, (await live('customers')) - page);
    const lastSubscribers = Math.max(0, (await live('subscribers')) - page);
    const listFloor = (table: string, offset: number) => () =>
      query(`select * from ${table} where partner_id = $1 and status <> 'deleted' order by created_at, id offset $2 limit $3`, [
        partnerId,
        offset,
        page + 1,
      ]);
    for (const [table, path, last] of [
      ['customers', '/v1/wholesale/customers', lastCustomers],
      ['subscribers', '/v1/wholesale/subscribers', lastSubscribers],
    ] as const) {
      await figure(
        `${table} list, first page (${page})`,
        200,
        () => get(`${path}?max=${page}`),
        `the same ${table} page (indexed select)`,
        listFloor(table, 0),
      );
      await figure(
        `${table} list, last page (offset ${last.toLocaleString('en-US')})`,
        200,
        () => get(`${path}?max=${page}&offset=${last}`),
        `the same ${table} page (indexed select)`,
        listFloor(table, last),
      );
      // The same last page reached by following Link rel="next" (a keyset cursor) from the page before it.
      const before = await fetch(`${ctx.serviceUrl}${path}?max=${page}&offset=${Math.max(0, last - page)}`, { headers: ctx.headers });
      await before.arrayBuffer();
      const next = /<[a-z]+:\/\/[^/>]+([^>]*)>; rel="next"/.exec(before.headers.get('link') ?? '')?.[1];
      if (next) {
        const key = await client.query(
          `select created_at, id from ${table} where partner_id = $1 and status <> 'deleted' order by created_at, id offset $2 limit 1`,
          [partnerId, last - 1],
        );
        await figure(
          `${table} list, last page (Link rel="next", keyset cursor)`,
          200,
          () => get(next),
          `the same ${table} page (keyset indexed select)`,
          () =>
            query(
              `select * from ${table} where partner_id = $1 and status <> 'deleted' and (created_at, id) > ($2, $3) order by created_at, id limit $4`,
              [partnerId, key.rows[0].created_at, key.rows[0].id, page + 1],
            ),
        );
      }
    }

    // A narrow search (a handful of names) and a broad one (every customer: the count stops at 1,000).
    const narrow = String(Math.floor(ctx.seed.customers / 2));
    for (const [label, term] of [
      [`console search "${narrow}"`, narrow],
      ['console search "ltd" (every customer matches)', 'ltd'],
    ] as const) {
      await figure(
        label,
        300,
        () => get(`/v1/console/customers?search=${encodeURIComponent(term)}&max=25`),
        'names matching, first 25 (trigram-indexed select)',
        () =>
          query(`select id from customers where partner_id = $1 and status <> 'deleted' and lower(coalesce(name, '')) like $2 limit 25`, [
            partnerId,
            `%${term}%`,
          ]),
      );
    }
    return figures;
  } finally {
    await client.end();
  }
}

/** The 99th percentile of `n` sequential runs of `run`, in ms, after two unmeasured warm-ups. */
async function p99(run: () => Promise<unknown>, n: number): Promise<number> {
  await run();
  await run();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!;
}
