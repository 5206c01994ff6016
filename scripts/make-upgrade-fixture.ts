/**
 * Builds the upgrade fixture of a released version: the database that release makes, seeded through
 * its own API, as a plain-SQL pg_dump, and what that release answered about it, beside the migrations:
 *
 *   src/db/upgrade-fixtures/<release>/database.sql   pg_dump --no-owner --no-privileges (plain SQL)
 *   src/db/upgrade-fixtures/<release>/answers.json   customers, subscribers, report CSVs, invoices, …
 *
 * test/e2e/upgrade-from-previous-release.test.ts restores the dump with psql, starts the current code
 * on it and compares. Refresh it at every release, from the release's own commit (never from a
 * working tree), and commit only the two files (none of the old release's code):
 *
 *   npx tsx scripts/make-upgrade-fixture.ts <commit> <release-date>     e.g. d426873 2026-11-22
 *
 * Needs git, npm, PostgreSQL on 127.0.0.1:5432 with trust auth (PGURL overrides the server URL), psql
 * and pg_dump. It checks the commit out in a temporary git worktree, runs `npm ci` there, starts that
 * release (`tsx src/main.ts`, as its `npm start` does) on a fresh database and a port the OS chose,
 * seeds it, records the answers, dumps, stops it, drops the database and removes the worktree.
 *
 * The seed covers what upgrades can change the meaning of: two customers, subscribers that change
 * package and leave mid-month, one holding only Attendant Console (allowed before 2026-11-30), one
 * without a name, a webhook subscription to a loopback address (allowed before the SSRF rule), a
 * price book, November's USER, CUSTOMER and PARTNER reports and November's invoices. The next
 * release's seed should add what that release introduced (workspaces, add-ons, reconciliations,
 * issued invoices …), so each fixture exercises the data its release could make.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [commit, release] = process.argv.slice(2);
if (!commit || !release || !/^\d{4}-\d{2}-\d{2}$/.test(release)) {
  process.stderr.write('usage: npx tsx scripts/make-upgrade-fixture.ts <commit> <release-date YYYY-MM-DD>\n');
  process.exit(2);
}
const repo = resolve(import.meta.dirname, '..');
const outDir = join(repo, 'src/db/upgrade-fixtures', release);
const serverUrl = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432';
const dbName = `upgrade_fixture_${release.replace(/-/g, '')}_${process.pid}`;
const databaseUrl = `${serverUrl}/${dbName}`;
const token = 'upgrade-fixture-admin-token-0123456789';
const month = { from: '2026-11-01', to: '2026-11-30', key: '2026-11' };

const run = (cmd: string, args: string[], cwd = repo) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const psql = (sql: string) => run('psql', [`${serverUrl}/postgres`, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);

/** A port nobody listens on right now (the old release refuses PORT=0), freed before the release binds it. */
const freePort = () =>
  new Promise<number>((done, failed) => {
    const s = createServer();
    s.once('error', failed);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

// OLD_RELEASE_DIR: a checkout of <commit> with its dependencies installed already (kept as it is).
const given = process.env.OLD_RELEASE_DIR;
const worktree = given ? resolve(given) : join(mkdtempSync(join(tmpdir(), 'old-release-')), 'tree');
let child: ReturnType<typeof spawn> | undefined;
try {
  if (given) {
    const head = run('git', ['rev-parse', 'HEAD'], worktree).trim();
    if (head !== run('git', ['rev-parse', commit]).trim()) throw new Error(`${worktree} is at ${head}, not ${commit}`);
  } else {
    process.stderr.write(`checking out ${commit} in ${worktree} and installing its dependencies …\n`);
    run('git', ['worktree', 'add', '--detach', worktree, commit]);
    run('npm', ['ci', '--no-audit', '--no-fund'], worktree);
  }
  psql(`create database ${dbName}`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // node itself (not the tsx wrapper), so stopping it stops the service; its log goes to a file.
  const log = join(tmpdir(), `upgrade-fixture-${process.pid}.log`);
  process.stderr.write(`the old release logs to ${log}\n`);
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: worktree,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TZ: 'UTC',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ADMIN_API_TOKEN: token,
      PARTNER_NAME: 'Upgrade Fixture Partner',
      WORKER_POLL_MS: '100',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')],
  });
  const exited = new Promise((_, failed) => child?.once('exit', (code) => failed(new Error(`the old release exited (${code})`))));

  const api = async (method: string, path: string, body?: unknown, accept = 'application/json') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return { status: res.status, text, json: () => (text ? JSON.parse(text) : undefined) };
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 600; i++) {
      const found = await probe().catch(() => undefined);
      if (found !== undefined) return found;
      await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  await until('the old release to answer /readyz', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
  const templates = (await api('GET', '/v1/wholesale/onboardingTemplates')).json();
  const provisioningId = templates.items[0].provisioningId as string;

  const address = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
  const newCustomer = async (externalId: string, name: string, packages: string[]) => {
    await api('POST', '/v1/wholesale/customers', {
      provisioningId,
      externalId,
      packages,
      address,
      customerInfo: { name, primaryEmail: `it@${externalId}.example` },
      provisioningParameters: { calling: { location: { name: 'HQ', timezone: 'America/Chicago', address } } },
      effectiveAt: '2026-11-01T00:00:00Z',
    });
    return until(`customer ${externalId} provisioned`, async () => {
      const c = (await api('GET', `/v1/wholesale/customers?externalId=${externalId}`)).json().items[0];
      return c?.status === 'provisioned' ? (c.id as string) : undefined;
    });
  };
  const acme = await newCustomer('crm-1001', 'Acme Dental', ['webex_calling', 'webex_meetings', 'attendant_console']);
  const birch = await newCustomer('crm-1002', 'Birch Law', ['webex_suite']);

  const newSubscriber = async (customerId: string, email: string, packages: string[], at: string, params: Record<string, string>) =>
    (
      await api('POST', '/v1/wholesale/subscribers', {
        customerId,
        email,
        packages,
        provisioningParameters: params,
        effectiveAt: at,
      })
    ).json().id as string;
  await newSubscriber(acme, 'ann@crm-1001.example', ['webex_calling'], '2026-11-01T00:00:00Z', {
    firstName: 'Ann',
    lastName: 'Lee',
    extension: '1001',
  });
  const bob = await newSubscriber(acme, 'bob@crm-1001.example', ['webex_meetings'], '2026-11-10T00:00:00Z', {
    firstName: 'Bob',
    lastName: 'Stone',
  });
  // Allowed by this release: Attendant Console held alone, as the subscriber's only package.
  await newSubscriber(acme, 'carl@crm-1001.example', ['attendant_console'], '2026-11-05T12:00:00Z', {
    firstName: 'Carl',
    lastName: 'Berg',
    extension: '1003',
  });
  const dan = await newSubscriber(acme, 'dan@crm-1001.example', ['webex_calling'], '2026-11-03T00:00:00Z', {
    firstName: 'Dan',
    lastName: 'Ruiz',
    extension: '1004',
  });
  // Allowed by this release: a subscriber without a name.
  await newSubscriber(birch, 'frank@crm-1002.example', ['webex_suite'], '2026-11-01T00:00:00Z', { extension: '2001' });
  await newSubscriber(birch, 'eve@crm-1002.example', ['webex_suite'], '2026-11-01T08:00:00Z', {
    firstName: 'Eve',
    lastName: 'Park',
    extension: '2002',
  });
  await api('PUT', `/v1/wholesale/subscribers/${bob}`, {
    packages: ['webex_calling'],
    provisioningParameters: { extension: '1002' },
    effectiveAt: '2026-11-20T00:00:00Z',
  });
  await api('DELETE', `/v1/wholesale/subscribers/${dan}?effectiveAt=2026-11-15T06:00:00Z`);

  await api('PUT', '/v1/billing/price-book', {
    effectiveFrom: '2026-11-01',
    currency: 'EUR',
    items: [
      { package: 'webex_calling', monthlyPrice: 1500 },
      { package: 'webex_meetings', monthlyPrice: 900 },
      { package: 'webex_suite', monthlyPrice: 2500 },
      { package: 'attendant_console', monthlyPrice: 700, sku: 'AC-1' },
    ],
  });

  const reports: Record<string, { id: string; csv: string }> = {};
  for (const type of ['USER', 'CUSTOMER', 'PARTNER']) {
    const { id } = (
      await api('POST', '/v1/wholesale/billing/reports', { billingStartDate: month.from, billingEndDate: month.to, type })
    ).json();
    const done = await until(`${type} report`, async () => {
      const r = (await api('GET', `/v1/wholesale/billing/reports/${id}`)).json();
      return r.status === 'COMPLETED' ? r : undefined;
    });
    const csv = await (await fetch(done.tempDownloadURL.replace(/^https?:\/\/[^/]+/, base))).text();
    reports[type] = { id, csv };
  }

  // Allowed by this release: a receiver on a loopback address. Subscribed last, so this release sends it nothing.
  const webhook = (
    await api('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/hooks/desk',
      eventTypes: ['customer.status_changed', 'subscriber.status_changed'],
      secret: 'fixture-webhook-secret-0123',
    })
  ).json();

  const invoices: Record<string, unknown> = {};
  const invoicesCsv: Record<string, string> = {};
  for (const id of [acme, birch]) {
    invoices[id] = (await api('GET', `/v1/billing/invoices?customerId=${id}&month=${month.key}`)).json();
    invoicesCsv[id] = (await api('GET', `/v1/billing/invoices?customerId=${id}&month=${month.key}`, undefined, 'text/csv')).text;
  }
  const subscribers = [];
  for (const id of [acme, birch])
    subscribers.push(...(await api('GET', `/v1/wholesale/subscribers?customerId=${id}&max=100`)).json().items);

  const answers = {
    release,
    commit: run('git', ['rev-parse', commit]).trim(),
    madeBy: 'scripts/make-upgrade-fixture.ts',
    adminToken: token,
    month,
    customers: (await api('GET', '/v1/wholesale/customers?max=100')).json().items,
    subscribers,
    priceBook: (await api('GET', '/v1/billing/price-book')).json(),
    webhooks: (await api('GET', '/v1/webhooks')).json().items,
    webhookId: webhook.id,
    reports,
    invoices,
    invoicesCsv,
  };

  child.kill('SIGTERM');
  await new Promise((r) => child?.once('exit', r));
  child = undefined;
  mkdirSync(outDir, { recursive: true });
  const dump = run('pg_dump', ['--no-owner', '--no-privileges', '--format=plain', databaseUrl]);
  writeFileSync(join(outDir, 'database.sql'), dump);
  writeFileSync(join(outDir, 'answers.json'), `${JSON.stringify(answers, null, 2)}\n`);
  process.stderr.write(`wrote ${outDir}/database.sql and answers.json\n`);
} catch (error) {
  process.stderr.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  child?.kill('SIGKILL');
  try {
    psql(`drop database if exists ${dbName} with (force)`);
  } catch {
    // the database may never have been created
  }
  if (!given) {
    try {
      run('git', ['worktree', 'remove', '--force', worktree]);
    } catch {
      // the worktree may never have been added
    }
    rmSync(resolve(worktree, '..'), { recursive: true, force: true });
  }
}
