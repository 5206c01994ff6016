import pg from 'pg';

/**
 * A large service provider, as issue 28 sizes it: `subscribers` subscribers in customers of 20 (the
 * guide's SMB market), holding a month of ledger: every subscriber assigned before the month, 10%
 * changing package during it, 1% removed during it, 10% holding the Attendant Console add-on (its own
 * ledger stream), and workspaces (Common Area Calling) numbering 2% of the subscribers, a tenth of them
 * removed during the month. At 1,000,000 that is 50,000 customers and 1,232,000 ledger rows.
 *
 * Set-based (generate_series, one statement a table) so a million seeds in minutes. The rows have the
 * shapes the use cases write (src/use-cases/customers.ts, subscribers.ts, workspaces.ts): Webex-shaped
 * ids (unpadded base64 of `ciscospark://us/<KIND>/<uuid>`), ledger facts with the same slots and causes
 * (`subscriber.create`, `subscriber.update`, `subscriber.delete`; an add-on a stream of its own from the
 * same instant; a removal ends the base slot only, as removeSubscriber does), removed holders marked
 * deleted, one admin per customer, a location per customer. The uuids are derived from the row number
 * (md5), so a seed is the same every run.
 *
 * Expects a database already migrated and seeded for its first start (the root partner exists): the
 * bench runs migrateToLatest and seedFirstStart, as the service does on start.
 */
export interface ScaleSeed {
  partnerId: string;
  customers: number;
  subscribers: number;
  workspaces: number;
  ledgerRows: number;
  /** The billed month: its first and last day (YYYY-MM-DD); the ledger's changes fall inside it. */
  month: { start: string; end: string };
  /** Ids of the first customer and of a customer in the middle (for one customer's page and invoice). */
  sampleCustomerIds: string[];
  /** Seconds the seed took. */
  seconds: number;
}

export interface ScaleSeedOptions {
  subscribers: number;
  /** First day of the billed month (UTC, YYYY-MM-DD); default: the calendar month before `now`. */
  monthStart?: string | undefined;
  now?: Date | undefined;
  /** Told each step as it finishes (the seed of a million takes minutes). */
  onStep?: ((step: string, seconds: number) => void) | undefined;
}

/** Subscribers holding Attendant Console: 10%, all on webex_calling (g % 3 = 1). */
const ATTENDANT = `g % 30 in (1, 4, 7)`;
/** Subscribers changing to webex_suite during the month: 10%. */
const CHANGED = `g % 10 = 0`;
/** Subscribers removed during the month: 1% (never one of the changed). */
const REMOVED = `g % 100 = 7`;

export async function seedScale(databaseUrl: string, options: ScaleSeedOptions): Promise<ScaleSeed> {
  const n = options.subscribers;
  if (!Number.isInteger(n) || n < 20) throw new Error('the scale seed needs a whole number of subscribers, at least 20');
  const monthStart = options.monthStart ?? previousMonthStart(options.now ?? new Date());
  const start = new Date(`${monthStart}T00:00:00Z`);
  const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const monthEnd = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
  const monthSeconds = (next.getTime() - start.getTime()) / 1000;
  const customers = Math.ceil(n / 20);
  const workspaces = Math.floor(n / 50);
  const started = performance.now();

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`set statement_timeout = 0`);
    await client.query(`set synchronous_commit = off`);
    await client.query(`set maintenance_work_mem = '256MB'`);
    const partner = await client.query<{ id: string; template: string }>(
      `select p.id, (select t.id from onboarding_templates t where t.partner_id = p.id order by t.id limit 1) as template
       from partners p where p.parent_id is null`,
    );
    const row = partner.rows[0];
    if (!row?.template) throw new Error('the scale seed needs a migrated database with its root partner (run seedFirstStart first)');
    const partnerId = row.id;
    // Webex-shaped ids from a row key: the same bytes toWebexId writes for the same uuid.
    await client.query(`
      create function pg_temp.wid(kind text, key text) returns text language sql immutable as $$
        select rtrim(translate(encode(convert_to('ciscospark://us/' || kind || '/' || md5(key)::uuid::text, 'UTF8'), 'base64'), E'\\n', ''), '=')
      $$`);
    const step = async (name: string, text: string, values: unknown[] = []) => {
      const t = performance.now();
      await client.query(text, values);
      options.onStep?.(name, (performance.now() - t) / 1000);
    };
    // Customers signed up over the 60 days before the month, provisioned (billed) from creation.
    await step(
      'customers',
      `insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, name, primary_email, locale, meetings_locale,
         org_country, address, packages, package_limits, provisioning_parameters, billing_start_date, status, errors, warnings,
         request_fingerprint, created_at, updated_at, status_changed_at, billing_from, created_packages)
       select pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || g), $1, 'ext-' || lpad(g::text, 7, '0'), pg_temp.wid('ORGANIZATION', 'o' || g), false, $4,
         'Customer ' || g || ' Ltd', 'admin' || g || '@customer' || g || '.example', 'en_US', 'en_US', 'US',
         jsonb_build_object('addressLine1', g || ' Main Street', 'city', 'Springfield', 'stateOrProvince', 'IL', 'zipOrPostalCode', '62701', 'country', 'US'),
         '["webex_calling","webex_meetings","webex_suite","attendant_console","common_area_calling"]'::jsonb, '{}'::jsonb, '{}'::jsonb, null,
         'provisioned', '[]'::jsonb, '[]'::jsonb, md5('fp' || g), t, t, t, t,
         '["webex_calling","webex_meetings","webex_suite","attendant_console","common_area_calling"]'
       from generate_series(1, $3::int) g, lateral (select $2::timestamptz - interval '60 days' + (g::bigint * 5184000 / $3::int) * interval '1 second' as t) c`,
      [partnerId, start.toISOString(), customers, row.template],
    );
    await step(
      'locations',
      `insert into locations (id, customer_id, name, address, timezone, language, created_at, status, errors)
       select pg_temp.wid('LOCATION', 'l' || g), pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || g), 'Main office',
         jsonb_build_object('addressLine1', g || ' Main Street', 'city', 'Springfield', 'stateOrProvince', 'IL', 'zipOrPostalCode', '62701', 'country', 'US'),
         'America/Chicago', 'en_US', $2::timestamptz - interval '60 days', 'provisioned', '[]'
       from generate_series(1, $1::int) g`,
      [customers, start.toISOString()],
    );
    // Subscriber g belongs to customer (g - 1) / 20 + 1; the first of each is its admin. Assigned between
    // 20 and 10 days before the month. Its row holds what it holds after the month.
    await step(
      'subscribers',
      `insert into subscribers (id, partner_id, customer_id, email, first_name, last_name, package, addons, primary_phone_number, extension,
         location_id, is_admin, person_id, status, errors, created_at, last_status_change)
       select pg_temp.wid('WHOLESALE_SUBSCRIBER', 's' || g), $1, pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || c), 'user' || g || '@customer' || c || '.example',
         'First' || g, 'Last' || g,
         case when ${CHANGED} then 'webex_suite' when g % 3 = 0 then 'webex_meetings' else 'webex_calling' end,
         case when ${ATTENDANT} and not ${REMOVED} then '["attendant_console"]'::jsonb else '[]'::jsonb end,
         null, (1000 + (g - 1) % 20)::text, pg_temp.wid('LOCATION', 'l' || c), (g - 1) % 20 = 0, pg_temp.wid('PEOPLE', 'p' || g),
         case when ${REMOVED} then 'deleted' else 'provisioned' end, '[]'::jsonb, a, a
       from generate_series(1, $3::int) g,
         lateral (select (g - 1) / 20 + 1 as c, $2::timestamptz - interval '20 days' + (g % 864000) * interval '1 second' as a) x`,
      [partnerId, start.toISOString(), n],
    );
    // The ledger: the assignment (and the add-on from the same instant), then the month's changes.
    await step(
      'ledger: assignments',
      `insert into package_events (subscriber_id, slot, customer_id, partner_id, package, effective_at, recorded_at, cause)
       select pg_temp.wid('WHOLESALE_SUBSCRIBER', 's' || g), 'base', pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || ((g - 1) / 20 + 1)), $1,
         case when g % 3 = 0 then 'webex_meetings' else 'webex_calling' end, a, a, 'subscriber.create'
       from generate_series(1, $3::int) g, lateral (select $2::timestamptz - interval '20 days' + (g % 864000) * interval '1 second' as a) x`,
      [partnerId, start.toISOString(), n],
    );
    await step(
      'ledger: Attendant Console',
      `insert into package_events (subscriber_id, slot, customer_id, partner_id, package, effective_at, recorded_at, cause)
       select pg_temp.wid('WHOLESALE_SUBSCRIBER', 's' || g), 'attendant_console', pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || ((g - 1) / 20 + 1)), $1,
         'attendant_console', a, a, 'subscriber.create'
       from generate_series(1, $3::int) g, lateral (select $2::timestamptz - interval '20 days' + (g % 864000) * interval '1 second' as a) x
       where ${ATTENDANT}`,
      [partnerId, start.toISOString(), n],
    );
    await step(
      'ledger: changes and removals',
      `insert into package_events (subscriber_id, slot, customer_id, partner_id, package, effective_at, recorded_at, cause)
       select pg_temp.wid('WHOLESALE_SUBSCRIBER', 's' || g), 'base', pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || ((g - 1) / 20 + 1)), $1,
         case when ${REMOVED} then null else 'webex_suite' end, e, e, case when ${REMOVED} then 'subscriber.delete' else 'subscriber.update' end
       from generate_series(1, $3::int) g, lateral (select $2::timestamptz + (g::bigint * 7919 % $4::int) * interval '1 second' as e) x
       where ${CHANGED} or ${REMOVED}`,
      [partnerId, start.toISOString(), n, monthSeconds],
    );
    await client.query(
      `update subscribers s set last_status_change = e.effective_at
       from package_events e where e.subscriber_id = s.id and e.package is null and s.status = 'deleted'`,
    );
    await step(
      'workspaces',
      `insert into workspaces (id, partner_id, customer_id, name, package, primary_phone_number, extension, location_id, status, created_at,
         last_status_change, errors)
       select pg_temp.wid('WORKSPACE', 'w' || g), $1, pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || c), 'Room ' || g, 'common_area_calling', null,
         (1900 + g % 100)::text, pg_temp.wid('LOCATION', 'l' || c), case when g % 10 = 3 then 'deleted' else 'provisioned' end, a, a, '[]'
       from generate_series(1, $3::int) g,
         lateral (select (g - 1) % $4::int + 1 as c, $2::timestamptz - interval '15 days' + (g * 7 % 86400) * interval '1 second' as a) x`,
      [partnerId, start.toISOString(), workspaces, customers],
    );
    await step(
      'ledger: workspaces',
      `insert into package_events (workspace_id, slot, customer_id, partner_id, package, effective_at, recorded_at, cause)
       select pg_temp.wid('WORKSPACE', 'w' || g), 'base', pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || ((g - 1) % $4::int + 1)), $1,
         'common_area_calling', a, a, 'workspace.create'
       from generate_series(1, $3::int) g, lateral (select $2::timestamptz - interval '15 days' + (g * 7 % 86400) * interval '1 second' as a) x
       union all
       select pg_temp.wid('WORKSPACE', 'w' || g), 'base', pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || ((g - 1) % $4::int + 1)), $1,
         null, e, e, 'workspace.delete'
       from generate_series(1, $3::int) g, lateral (select $2::timestamptz + (g::bigint * 7919 % $5::int) * interval '1 second' as e) x
       where g % 10 = 3`,
      [partnerId, start.toISOString(), workspaces, customers, monthSeconds],
    );
    await client.query(
      `update workspaces w set last_status_change = e.effective_at
       from package_events e where e.workspace_id = w.id and e.package is null and w.status = 'deleted'`,
    );
    await step('analyze', 'analyze');
    const ledger = await client.query<{ n: string }>(`select count(*) as n from package_events where partner_id = $1`, [partnerId]);
    const samples = await client.query<{ id: string }>(
      `select pg_temp.wid('WHOLESALE_CUSTOMER', 'c' || k) as id from unnest(array[1, $1::int]) k`,
      [Math.max(1, Math.floor(customers / 2))],
    );
    return {
      partnerId,
      customers,
      subscribers: n,
      workspaces,
      ledgerRows: Number(ledger.rows[0]!.n),
      month: { start: monthStart, end: monthEnd },
      sampleCustomerIds: samples.rows.map((r) => r.id),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await client.end();
  }
}

/** The first day (YYYY-MM-DD) of the calendar month before `now`'s, in UTC. */
export function previousMonthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
}

/** What the scale bench hands each part that measures (bench/scale-reads.ts's measureScaleReads). */
export interface ScaleBenchContext {
  /** The running service, e.g. http://127.0.0.1:41234 (its own process, default settings). */
  serviceUrl: string;
  /** Authorization (an all-scopes admin token) and content type for /v1 calls. */
  headers: Record<string, string>;
  /** The seeded database, for floors measured in the same run (a pg client of your own). */
  databaseUrl: string;
  seed: ScaleSeed;
}

/** One printed figure: what the service took beside the floor measured in the same run. */
export interface ScaleFigure {
  name: string;
  /** The service's figure (p99 for repeated reads, the single run for long work), in ms. */
  ms: number;
  /** The floor in the same run, in ms, and what it is. */
  floorMs: number;
  floor: string;
  /** The target for this figure, e.g. 'p99 < 200 ms' or '≤ 1.5× the floor', and whether it holds. */
  target?: string | undefined;
  met?: boolean | undefined;
}
