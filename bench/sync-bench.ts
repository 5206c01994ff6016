import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { startFakeWebexWholesale } from '../dev/fake-webex/fake-webex-wholesale.js';
import { seconds } from './bench-support.js';

const TOKEN = 'wdk_bench_token_0123456789abcdefgh';
const WEBEX_TOKEN = 'fake-wholesale-partner-admin-token-0001';

export interface SyncBenchResult {
  customers: number;
  subscribers: number;
  ms: number;
  floorMs: number;
  ratio: number;
  peakRssBytes: number;
}

/**
 * `npm run bench -- sync`: the first sync of a partner whose Webex holds `customers` customers ×
 * `perCustomer` subscribers (BENCH_SYNC_CUSTOMERS, default 10,000; BENCH_SYNC_SUBSCRIBERS, default 20),
 * imported as a background sync by the service started as a user starts it (`src/main.ts` in its own
 * process, upstream mode against the fake on loopback). Timed from `POST /v1/upstream/sync` (202) to the
 * run's `succeeded`, followed with `GET /v1/upstream/syncs/{id}`. The floor, measured in the same run:
 * the fake serving every page of customers and subscribers (100 a page) to a bare client, one page after
 * another. Peak RSS: the service's own (VmHWM), read before it stops.
 */
export async function benchSync(
  env: Record<string, string>,
  label: string,
  customers: number,
  perCustomer: number,
): Promise<SyncBenchResult> {
  const fake = await startFakeWebexWholesale({ settleMs: 10 });
  fake.seedBulk(customers, perCustomer, 'sync');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TZ: 'UTC',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_TOKEN: '0',
      RATE_LIMIT_PER_ADDRESS: '0',
      ADMIN_API_TOKEN: TOKEN,
      WEBEX_WHOLESALE_API_URL: fake.apiUrl,
      WEBEX_WHOLESALE_TOKEN: WEBEX_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (output.length < 20_000) output += `${line}\n`;
        if (!line.includes('"listening"')) continue;
        const entry = JSON.parse(line) as { url?: string };
        if (entry.url) resolve(entry.url);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before listening:\n${output.slice(-4_000)}`)));
  });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  try {
    // The floor: every page the sync needs, served by the fake to a client doing nothing else.
    const floorStarted = performance.now();
    for (const path of ['/wholesale/customers?max=100', '/wholesale/subscribers?max=100']) {
      let next: string | undefined = `${fake.apiUrl}${path}`;
      while (next) {
        const res: Response = await fetch(next, { headers: { authorization: `Bearer ${WEBEX_TOKEN}` } });
        await res.json();
        next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      }
    }
    const floorMs = performance.now() - floorStarted;

    const started = performance.now();
    const post = await fetch(`${url}/v1/upstream/sync`, { method: 'POST', headers });
    if (post.status !== 202) throw new Error(`POST /v1/upstream/sync → ${post.status} ${await post.text()}`);
    // Location names PUBLIC_URL; the service listens on the port the OS chose.
    const location = `${url}${new URL(post.headers.get('location')!).pathname}`;
    let run: { state: string; errors: string[]; progress: Record<string, number>; summary: Record<string, number> | null };
    let lastShown = 0;
    for (;;) {
      run = await (await fetch(location, { headers })).json();
      if (run.state === 'succeeded' || run.state === 'failed') break;
      if (performance.now() - lastShown > 15_000) {
        lastShown = performance.now();
        console.log(`  sync ${run.state}: ${JSON.stringify(run.progress)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const ms = performance.now() - started;
    if (run.state === 'failed') throw new Error(`the sync failed: ${run.errors.join('; ')}`);
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const peakRssBytes = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    const subscribers = customers * perCustomer;
    const ratio = ms / floorMs;
    console.log(
      `sync [${label}]: import of ${customers.toLocaleString('en')} customers × ${perCustomer} subscribers (${subscribers.toLocaleString('en')}) from the fake Webex as a background sync in ${seconds(ms)} s; ` +
        `imported ${run.summary?.customersImported} customers, ${run.summary?.subscribersImported} subscribers; ` +
        `floor (the fake serving every page to a bare client) ${seconds(floorMs)} s → ${ratio.toFixed(2)}× the floor; ` +
        `service peak RSS ${(peakRssBytes / 1e6).toFixed(0)} MB; departures from Cisco's documents: ${fake.violations.length}`,
    );
    if (run.summary?.customersImported !== customers || run.summary?.subscribersImported !== subscribers)
      throw new Error(`expected ${customers} customers and ${subscribers} subscribers imported: ${JSON.stringify(run.summary)}`);
    return { customers, subscribers, ms, floorMs, ratio, peakRssBytes };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fake.close();
  }
}

/** BENCH_SYNC_CUSTOMERS (default 10,000) × BENCH_SYNC_SUBSCRIBERS (default 20). */
export function syncBenchSize(): { customers: number; perCustomer: number } {
  const customers = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 10_000);
  const perCustomer = Number(process.env.BENCH_SYNC_SUBSCRIBERS ?? 20);
  if (!Number.isInteger(customers) || customers < 1) throw new Error('BENCH_SYNC_CUSTOMERS: a positive whole number');
  if (!Number.isInteger(perCustomer) || perCustomer < 0) throw new Error('BENCH_SYNC_SUBSCRIBERS: a whole number');
  return { customers, perCustomer };
}
