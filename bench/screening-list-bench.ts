import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { DbConfig } from '../src/db/create-db.js';
import { splitAddresses } from '../src/domain/compliance/address-agreement.js';
import { evaluateScreening, type LabelledPair } from '../src/domain/compliance/evaluate-screening.js';
import { DEFAULT_SCREENING_THRESHOLD } from '../src/domain/compliance/review-rules.js';
import { runConcurrently } from './bench-support.js';

const TOKEN = 'wdk_bench_screening_list_token_0123456789';
const PROBE_EVERY_MS = 50;
// The fixture ends its lines with CRLF; the generated rows that follow end theirs with LF, so it is normalised.
const FIXTURE = readFileSync(new URL('../test/fixtures/screening-list.csv', import.meta.url), 'utf8').replace(/\r\n/g, '\n');
const PAIRS: LabelledPair[] = JSON.parse(readFileSync(new URL('../test/fixtures/screening-pairs.json', import.meta.url), 'utf8'));

// Name-like words from consonant-vowel(-consonant) syllables, as bench/screening-bench.ts makes them.
const consonants = 'bcdfghjklmnprstvwz'.split('');
const vowels = 'aeiou'.split('');
const syllables = consonants.flatMap((c) => vowels.flatMap((v) => [c + v, ...['n', 'r', 's', 'l'].map((e) => c + v + e)]));
const trades = ['Trading', 'Shipping', 'Logistics', 'Electronics', 'Industries', 'Engineering', 'Mining', 'Aerospace', 'Systems'];
const countries = ['AE', 'CN', 'RU', 'IR', 'DE', 'US', 'GB', 'SG', 'BR', 'IN', ''];

function nameMaker(seed: number) {
  let s = seed;
  const rand = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const word = (n: number) => {
    const w = Array.from({ length: n }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
    return w[0]!.toUpperCase() + w.slice(1);
  };
  return (i: number) => `${word(2 + (i % 2))} ${word(2)} ${trades[i % trades.length]} LLC`;
}

/**
 * The fixture's 20 entries first (so the labelled pairs can be screened against the big list), then
 * generated rows, made before the upload starts: generating them while uploading took a core from the
 * service and PostgreSQL on this 2-core machine, and the probes measured that contention too.
 */
function listChunks(targetBytes: number, remember: (i: number, name: string) => void) {
  const encoder = new TextEncoder();
  const name = nameMaker(4242);
  const chunks: Uint8Array[] = [];
  let sent = 0;
  let i = 0;
  while (sent < targetBytes) {
    let text = i === 0 ? (FIXTURE.endsWith('\n') ? FIXTURE : `${FIXTURE}\n`) : '';
    for (let n = 0; n < 1000; n += 1, i += 1) {
      const primary = name(i);
      remember(i, primary);
      const alt = i % 3 === 0 ? name(i + 1_000_000) : '';
      text += `gen-${i},Generated List (GL),${primary},${alt},"${i} Harbour Road, Port City",${countries[i % countries.length]},GEN\n`;
    }
    const bytes = encoder.encode(text);
    sent += bytes.byteLength;
    chunks.push(bytes);
  }
  const stream = () => {
    let next = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next < chunks.length) controller.enqueue(chunks[next++]!);
        else controller.close();
      },
    });
  };
  return { stream, rows: i + 20 };
}

/**
 * Probes /healthz every PROBE_EVERY_MS from a worker thread of its own: the bench's main thread
 * sends the 48 MB upload, and a probe waiting behind it would measure the bench, not the service. One
 * worker serves every phase, and its first request (undici's start and the connection, ~50 ms on this
 * machine) is made before any phase is measured: a new worker per phase had put that start into each
 * phase's slowest probe.
 */
async function startProber(url: string) {
  const prober = new Worker(PROBER, { eval: true, workerData: { url: `${url}/healthz`, every: PROBE_EVERY_MS } });
  const next = () =>
    new Promise<{ ready?: true; latencies?: number[]; error?: string }>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      prober.once('error', onError);
      prober.once('message', (m) => {
        prober.off('error', onError);
        resolve(m);
      });
    });
  const ready = await next();
  if (!ready.ready) throw new Error(ready.error ?? 'the prober did not start');
  return {
    /** The latencies of the probes made while `until` was pending (the caller awaits `until` itself). */
    async measure(until: () => Promise<unknown>): Promise<number[]> {
      const answered = next();
      prober.postMessage('start');
      const phase = until();
      await phase.catch(() => undefined);
      prober.postMessage('stop');
      const m = await answered;
      if (m.error) throw new Error(m.error);
      await phase;
      return m.latencies ?? [];
    },
    stop: () => prober.terminate(),
  };
}

const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const probe = async () => {
  const started = performance.now();
  const res = await fetch(workerData.url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error('/healthz answered ' + res.status);
  return performance.now() - started;
};
let running = false;
const run = async () => {
  const latencies = [];
  try {
    while (running) {
      latencies.push(await probe());
      await new Promise((r) => setTimeout(r, workerData.every));
    }
    parentPort.postMessage({ latencies });
  } catch (error) {
    running = false;
    parentPort.postMessage({ error: String(error) });
  }
};
parentPort.on('message', (m) => {
  if (m === 'start') { running = true; run(); }
  else running = false;
});
probe().then(() => parentPort.postMessage({ ready: true }), (error) => parentPort.postMessage({ error: String(error) }));
`;

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] ?? 0;

const mb = (n: number) => (n / 1e6).toFixed(0);

/**
 * A 48 MB screening list (the fixture's entries and generated ones) loaded into the service running
 * in its own process, then 1,000 customers created and screened against it (every 50th carries a
 * listed name, so some are held), with /healthz probed every 50 ms throughout. Prints the slowest
 * probe of each phase beside the idle one, the service's peak RSS beside its idle RSS, and precision /
 * recall on the labelled pairs screened through the database against the big list beside the
 * in-memory figure on the fixture alone. Targets: probes within 100 ms, RSS within 1.5× idle,
 * quality unchanged.
 */
export async function benchScreeningList(dbConfig: DbConfig, label: string, bytes = 48 * 1024 * 1024, customers = 1_000) {
  const child = fork(fileURLToPath(new URL('./screening-list-service-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  child.send({ dbConfig, token: TOKEN });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  const ask = async <T>(m: unknown): Promise<T> => {
    child.send(m as string);
    const [answer] = (await once(child, 'message')) as [T];
    return answer;
  };
  const peak = () => ask<{ peak: number; loopDelayMaxMs: number; loopDelayP99Ms: number }>('peak');
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  let prober: Awaited<ReturnType<typeof startProber>> | undefined;
  try {
    prober = await startProber(url);
    await prober.measure(() => new Promise((r) => setTimeout(r, 1000)));
    await peak();
    const idle = await prober.measure(() => new Promise((r) => setTimeout(r, 3000)));
    const idleWindow = await peak();

    // 1. The list.
    const listed: string[] = [];
    const list = listChunks(bytes, (i, name) => {
      // Entries with no country: any customer can match them.
      if (i % countries.length === countries.length - 1 && listed.length < customers) listed.push(name);
    });
    const loadStarted = performance.now();
    const upload = () =>
      fetch(`${url}/v1/compliance/screening-list`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
        body: list.stream(),
        duplex: 'half',
      } as RequestInit).then(async (res) => {
        const text = await res.text();
        if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${text}`);
      });
    const duringLoad = await prober.measure(upload);
    const loadMs = performance.now() - loadStarted;
    const loadWindow = await peak();

    // 2. 1,000 customers, screened by the worker as they arrive.
    const templateId = (await (await call('GET', '/v1/wholesale/onboardingTemplates')).json()).items[0].provisioningId as string;
    const screenStarted = performance.now();
    const screening = async () => {
      await runConcurrently(customers, 4, async (i) => {
        const res = await call('POST', '/v1/wholesale/customers', {
          provisioningId: templateId,
          externalId: `sl-${i}`,
          packages: ['webex_meetings'],
          address: { addressLine1: `${i} Bench Way`, city: 'Dubai', country: 'AE' },
          customerInfo: { name: i % 50 === 0 ? listed[i / 50]! : nameMaker(9_000 + i)(i), primaryEmail: `admin${i}@sl-bench-${i}.example` },
        });
        if (res.status !== 202) throw new Error(`customer POST answered ${res.status}: ${await res.text()}`);
      });
      for (;;) {
        const state = await ask<{ byStatus: Record<string, number>; pendingTasks: number }>('customers');
        if (!state.byStatus.provisioning && state.pendingTasks === 0) return state.byStatus;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    let byStatus: Record<string, number> = {};
    const duringScreening = await prober.measure(async () => {
      byStatus = await screening();
    });

    const screenMs = performance.now() - screenStarted;
    const screenWindow = await peak();

    // 3. Quality: the labelled pairs through the database against the big list, beside the in-memory figure.
    const rows = parse(FIXTURE, { columns: true }) as Record<string, string>[];
    const entries = rows.map((r) => ({
      id: r._id!,
      source: r.source!,
      name: r.name!,
      altNames: r.alt_names ? r.alt_names.split(';') : [],
      country: r.country || null,
      addresses: splitAddresses(r.addresses ?? ''),
    }));
    const before = evaluateScreening(entries, PAIRS, DEFAULT_SCREENING_THRESHOLD);
    const q = await ask<{ tp: number; fp: number; fn: number }>({
      pairs: PAIRS,
      targets: Object.fromEntries(entries.map((e) => [e.name, e.id])),
    });
    const precision = q.tp + q.fp ? q.tp / (q.tp + q.fp) : 1;
    const recall = q.tp + q.fn ? q.tp / (q.tp + q.fn) : 1;

    const maxIdle = Math.max(...idle);
    const maxLoad = Math.max(...duringLoad);
    const maxScreen = Math.max(...duringScreening);
    const idleRss = idleWindow.peak;
    const peakRss = Math.max(loadWindow.peak, screenWindow.peak);
    console.log(
      `screening-list [${label}]: ${mb(bytes)} MB list, ${list.rows.toLocaleString('en')} entries loaded in ${(loadMs / 1000).toFixed(1)} s; ` +
        `${customers} customers screened in ${(screenMs / 1000).toFixed(1)} s (${JSON.stringify(byStatus)})`,
    );
    console.log(
      `  /healthz every ${PROBE_EVERY_MS} ms: max ${maxLoad.toFixed(0)} ms while loading (p99 ${p99(duringLoad).toFixed(0)} ms, ${duringLoad.length} probes), ${maxScreen.toFixed(0)} ms while screening (p99 ${p99(duringScreening).toFixed(0)} ms, ${duringScreening.length} probes); idle max ${maxIdle.toFixed(1)} ms`,
    );
    console.log(
      `  RSS: idle ${mb(idleRss)} MB, peak ${mb(loadWindow.peak)} MB while loading (${(loadWindow.peak / idleRss).toFixed(2)}×), ` +
        `${mb(screenWindow.peak)} MB while screening (${(screenWindow.peak / idleRss).toFixed(2)}×); ` +
        `event loop held at most ${loadWindow.loopDelayMaxMs.toFixed(0)} ms loading, ${screenWindow.loopDelayMaxMs.toFixed(0)} ms screening (idle ${idleWindow.loopDelayMaxMs.toFixed(0)} ms)`,
    );
    console.log(
      `  quality at ${DEFAULT_SCREENING_THRESHOLD} on ${PAIRS.length} labelled pairs: before (in memory, fixture list) ${before.precision.toFixed(3)} / ${before.recall.toFixed(3)}, ` +
        `after (in the database, ${list.rows.toLocaleString('en')}-entry list) ${precision.toFixed(3)} / ${recall.toFixed(3)}`,
    );
    const probesMet = Math.max(maxLoad, maxScreen) <= 100;
    const rssMet = peakRss <= 1.5 * idleRss;
    const qualityMet = precision >= before.precision && recall >= before.recall;
    console.log(
      `screening-list target [${label}] (probes ≤ 100 ms, RSS ≤ 1.5× idle, quality unchanged): ${probesMet && rssMet && qualityMet ? 'met' : 'NOT met'} ` +
        `(probes ${probesMet ? 'met' : 'NOT met'}, RSS ${rssMet ? 'met' : 'NOT met'}, quality ${qualityMet ? 'met' : 'NOT met'})`,
    );
    return { maxIdle, maxLoad, maxScreen, idleRss, peakRss, precision, recall, loadMs, screenMs };
  } finally {
    await prober?.stop();
    child.send('stop');
    await once(child, 'exit');
  }
}
