import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface SpawnedService {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (and signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/*
 * Ports come from a slice per test worker, below the kernel's ephemeral range (32768–60999 by
 * default). A port the kernel picked for `listen(0)` could be handed to anyone else's `listen(0)` in
 * the seconds before the service binds it; these are only ever handed out here, once each.
 */
const PORTS_PER_WORKER = 400;
const workerSlice = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 1) % 25;
let nextPort = 21_000 + workerSlice * PORTS_PER_WORKER;
const lastPort = nextPort + PORTS_PER_WORKER - 1;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  while (nextPort <= lastPort) {
    const port = nextPort++;
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port left in this test worker's slice (${lastPort - PORTS_PER_WORKER + 1}–${lastPort})`);
}

/** Starts `src/main.ts` the way `npm start` does, with its own environment. */
export function spawnService(env: Record<string, string>, port?: number): SpawnedService {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC', HOST: '127.0.0.1', ...(port ? { PORT: String(port) } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, url: `http://127.0.0.1:${port ?? 0}`, output: () => out, exited };
}

/** Polls until `check` holds, failing at once if the process dies and with its output if time runs out. */
export async function waitUntil(service: SpawnedService, what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => (exited = true));
  while (!(await check())) {
    if (exited) throw new Error(`service exited before ${what}:\n${service.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls a URL until it answers with the status. */
export function waitForStatus(service: SpawnedService, path: string, status = 200, timeoutMs = 60_000): Promise<void> {
  const answers = () =>
    fetch(`${service.url}${path}`).then(
      (res) => res.status === status,
      () => false, // not listening yet
    );
  return waitUntil(service, `${path} answered ${status}`, answers, timeoutMs);
}

/** Polls the service's output until it holds the text. */
export function waitForOutput(service: SpawnedService, text: string, timeoutMs = 30_000): Promise<void> {
  return waitUntil(service, `it logged "${text}"`, () => service.output().includes(text), timeoutMs);
}
