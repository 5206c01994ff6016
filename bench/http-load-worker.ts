import { Agent, request } from 'node:http';
import { signEvent } from '../src/webhooks/verify-signature.js';

/** The load generator, in its own process (and core), so it does not steal the server's event loop. */
interface Job {
  url: string;
  bodies: string[];
  concurrency: number;
  secret: string | null;
}

const job = await new Promise<Job>((resolve) => process.once('message', (m) => resolve(m as Job)));
const target = new URL(job.url);
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });

function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (job.secret) headers['webhook-signature'] = signEvent(body, job.secret, Math.floor(Date.now() / 1000));
    const req = request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
let errors = 0;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < job.bodies.length) {
      const body = job.bodies[next++]!;
      const t0 = performance.now();
      const status = await post(body).catch(() => 0);
      if (status !== 200 && status !== 202) errors += 1;
      latencies.push(performance.now() - t0);
    }
  }),
);
const ms = performance.now() - started;
agent.destroy();
process.send?.({ ms, latencies, errors }, () => process.exit(0));
