import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startService } from '../src/start-service.js';
import { startFakeWebexWholesale } from './fake-webex/fake-webex-wholesale.js';

/*
 * `npm run demo`: upstream mode without Webex credentials. Starts the fake Webex Wholesale API
 * (dev/fake-webex, the one the tests use: every exchange checked against Cisco's document) and the desk
 * in upstream mode against it, on a fresh PGlite data directory, seeds a few customers through the API,
 * and prints the console's URL and an admin token. Keys (or the fake's control endpoints) play a revoked
 * Webex token and an outage, and restore, so the desk's failure handling and recovery can be watched:
 * revoke the token, add a customer (it shows `error` naming the token), restore, press Retry.
 *
 * PORT (default 3000; 0 lets the system choose) and LOG_LEVEL (default warn) are read; nothing else from
 * the environment, so a DATABASE_URL or a real Webex token set in the shell is never used by the demo.
 */

const WEBEX_TOKEN = 'demo-webex-partner-admin-token';
const say = (line = '') => process.stdout.write(`${line}\n`);

/** A free port when PORT=0: the desk's PUBLIC_URL (Location headers, links) must name the real one. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const fake = await startFakeWebexWholesale({ settleMs: 1_500, accessToken: WEBEX_TOKEN });
const dataDir = await mkdtemp(join(tmpdir(), 'wholesale-desk-demo-'));
const askedPort = Number(process.env.PORT ?? 3000);
const port = askedPort === 0 ? await freePort() : askedPort;
const adminToken = `wdk_demo_${randomBytes(16).toString('hex')}`;
const config = loadConfig({
  PORT: String(port),
  HOST: '127.0.0.1',
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  DATA_DIR: join(dataDir, 'data'),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  ADMIN_API_TOKEN: adminToken,
  PARTNER_NAME: 'Demo Partner',
  WEBEX_WHOLESALE_API_URL: fake.apiUrl,
  WEBEX_WHOLESALE_TOKEN: WEBEX_TOKEN,
  WORKER_POLL_MS: '200',
  // A key of its own, so the stored signing keys are sealed as in production (and no warning shows).
  SECRETS_KEY: randomBytes(32).toString('base64'),
});
const service = await startService(config, createLogger(config.LOG_LEVEL)).catch(async (error: unknown) => {
  // Most often the port is taken (another desk on 3000): say what to do, and leave nothing behind.
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)} (PORT=0 lets the system choose a port)\n`);
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(1);
});

let stopping: Promise<never> | undefined;
/** Stops once: Ctrl-C reaches npm, tsx and node alike, so the same keypress arrives here more than once. */
function stop(code = 0): Promise<never> {
  stopping ??= (async () => {
    say('\nStopping the demo…');
    await service.stop().catch(() => undefined);
    await fake.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
};

// Screening is mandatory (SCREENING_REQUIRED): the demo loads the tests' fictional restricted-party
// list first, so its customers are screened and provisioned rather than held for want of a list.
const screeningList = await readFile(new URL('../test/fixtures/screening-list.csv', import.meta.url));
const loaded = await fetch(`${service.url}/v1/compliance/screening-list`, {
  method: 'POST',
  headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
  body: screeningList,
});
if (!loaded.ok) throw new Error(`loading the demo's screening list answered ${loaded.status}: ${await loaded.text()}`);

const provisioningId = (await api('GET', '/v1/wholesale/onboardingTemplates')).items[0].provisioningId as string;
const address = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
const seeds = [
  { externalId: 'demo-acme', name: 'Acme Dental', email: 'it@acme-dental.example' },
  { externalId: 'demo-birch', name: 'Birch Law', email: 'it@birch-law.example' },
  { externalId: 'demo-cedar', name: 'Cedar Clinics', email: 'it@cedar-clinics.example' },
];
for (const s of seeds)
  await api('POST', '/v1/wholesale/customers', {
    provisioningId,
    externalId: s.externalId,
    packages: ['webex_calling', 'webex_meetings'],
    address,
    customerInfo: { name: s.name, primaryEmail: s.email },
    provisioningParameters: { calling: { location: { name: 'HQ', timezone: 'America/Chicago', address } } },
  });

say('');
say('Wholesale Desk demo: upstream mode against a local fake of the Webex Wholesale API');
say(`  Console: ${service.url}/`);
say(`  Token: ${adminToken}`);
say(`  Fake Webex Wholesale: ${fake.apiUrl} (it accepts the token ${WEBEX_TOKEN})`);
say(`  Data: ${dataDir} (removed when the demo stops)`);
say('');
say(`Seeded ${seeds.length} customers (${seeds.map((s) => s.name).join(', ')}); Webex provisions them in a few seconds.`);
say('Play a failure, then recover:');
say('  r  revoke the Webex token (every call answers 401)   o  an outage (every call answers 503)');
say('  f  fix it (restore)   s  the upstream status   q  quit');
say(`  or: curl -X POST ${fake.url}/_fake/revoke-token | ${fake.url}/_fake/outage | ${fake.url}/_fake/restore`);
say('After a revoke, add a customer in the console: it shows error naming the token. Restore, then press');
say('"Retry all held and failed work" on the Upstream page (or type `retry failed` in the console chat).');
say('');

// Tells when the seeded customers are provisioned (the line the demo's test waits for).
void (async () => {
  for (let i = 0; i < 120 && !stopping; i++) {
    const items = (await api('GET', '/v1/wholesale/customers?max=100').catch(() => ({ items: [] }))).items as { status: string }[];
    if (items.length >= seeds.length && items.every((c) => c.status === 'provisioned')) {
      say(`All ${items.length} seeded customers are provisioned in (fake) Webex.`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
})();

if (process.stdin.isTTY) {
  emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  process.stdin.on('keypress', (_text: string, key: { name?: string; ctrl?: boolean }) => {
    if (key.ctrl && key.name === 'c') return void stop();
    switch (key.name) {
      case 'r':
        fake.revokeToken();
        return say('Webex now refuses the token (401). New work is held; the customer shows error naming the token.');
      case 'o':
        fake.startOutage();
        return say('Webex now answers 503 to everything. Work waits and is retried; the circuit opens after a few failures.');
      case 'f':
        fake.restore();
        return say('Webex answers normally again. Retry the held work: console Upstream page, or `retry failed` in chat.');
      case 's':
        void api('GET', '/v1/upstream/status').then((s) => say(`Upstream: ${s.state}. ${s.summary}`));
        return;
      case 'q':
        return void stop();
    }
  });
}
