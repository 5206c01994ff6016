import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { entryArgs } from './compiled-service.js';

export interface SpawnedService {
  child: ChildProcess;
  /** The URL the service logged it listens on; throws before its 'listening' line (await `listening`). */
  readonly url: string;
  /** Resolves with the URL once the service logs 'listening'; rejects if it exits first. */
  listening: Promise<string>;
  output(): string;
  /** Resolves with the exit code (and signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Emits 'output' on every chunk the process writes (stdout or stderr). */
  events: EventEmitter;
}

const alive = new Set<SpawnedService>();

/** SIGKILLs every service this test file spawned that is still running (a test that failed half-way). */
export async function killLeftoverServices(): Promise<void> {
  const left = [...alive];
  for (const service of left) service.child.kill('SIGKILL');
  await Promise.all(left.map((service) => service.exited));
}

/**
 * Starts the service the way `npm start` does (plain node on compiled sources: the run's copy of src/
 * compiled by test/support/compiled-service.ts, or `src/main.ts` through tsx outside the database
 * projects), with its own environment, on a port the operating
 * system chooses (PORT=0 unless the test sets PORT). The service logs `{"url": …, "msg": "listening"}`
 * with the port it bound; the harness reads that line from this child's own output, so two suites on
 * one machine never see each other's services. The line is logged at info: the harness runs the
 * service at LOG_LEVEL=info unless the test asks for another level (then only `exited` and `output`
 * mean anything).
 */
export function spawnService(env: Record<string, string>, opts: { entry?: string[] } = {}): SpawnedService {
  // `entry`: what node runs instead of the TypeScript source (the production build's main.js).
  const child = spawn(process.execPath, opts.entry ?? entryArgs('main'), {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TZ: 'UTC',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      // Suites drive spawned services hard from one address; rate-limit tests turn the limits on.
      RATE_LIMIT_PER_TOKEN: '0',
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_EVENTS: '0',
      RATE_LIMIT_SIGN_INS: '0',
      // Spawned services start without a screening list: customers go through unscreened (warned) rather
      // than wait for one; suites about screening set SCREENING_REQUIRED themselves.
      SCREENING_REQUIRED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events = new EventEmitter();
  let out = '';
  let url: string | undefined;
  let pending = '';
  let announce: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announce = resolve));
  const onStdout = (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (url || !line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
        if (entry.msg === 'listening' && typeof entry.url === 'string') announce((url = entry.url));
      } catch {
        // not a log line
      }
    }
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    onStdout(d);
    events.emit('output');
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
    events.emit('output');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const service: SpawnedService = {
    child,
    get url() {
      if (!url) throw new Error(`the service has not logged 'listening' yet:\n${out}`);
      return url;
    },
    listening: Promise.race([
      listening,
      exited.then(({ code, signal }) => {
        throw new Error(`service exited (code ${code}, signal ${signal}) before it logged 'listening':\n${out}`);
      }),
    ]),
    output: () => out,
    exited,
    events,
  };
  // A test that never awaits `listening` (a service that must refuse to start) is not an unhandled rejection.
  service.listening.catch(() => undefined);
  alive.add(service);
  void exited.then(() => alive.delete(service));
  return service;
}

/**
 * Waits until `check` holds, re-checking every 100 ms (`wakeOnOutput`: also whenever the service writes);
 * fails at once if the process dies, and with its output at the deadline.
 */
export async function waitUntil(
  service: SpawnedService,
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  { wakeOnOutput = false } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => (exited = true));
  while (!(await check())) {
    if (exited) throw new Error(`service exited before ${what}:\n${service.output()}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting until ${what}:\n${service.output()}`);
    const tick = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ...(wakeOnOutput ? [once(service.events, 'output', { signal: tick.signal }).catch(() => undefined)] : []),
      service.exited,
      new Promise((r) => (timer = setTimeout(r, Math.min(100, left)))),
    ]);
    tick.abort();
    clearTimeout(timer);
  }
}

/** Waits for the service's own 'listening' line, then polls its URL until it answers with the status. */
export async function waitForStatus(service: SpawnedService, path: string, status = 200, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for the service to log 'listening':\n${service.output()}`)), timeoutMs);
  });
  try {
    await Promise.race([service.listening, timeout]);
  } finally {
    clearTimeout(timer);
  }
  const answers = () =>
    fetch(`${service.url}${path}`).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === status;
      },
      () => false, // not answering yet
    );
  return waitUntil(service, `${path} answered ${status}`, answers, Math.max(0, deadline - Date.now()));
}

/** Waits until the service's output holds the text. */
export function waitForOutput(service: SpawnedService, text: string, timeoutMs = 30_000): Promise<void> {
  return waitUntil(service, `it logged "${text}"`, () => service.output().includes(text), timeoutMs, { wakeOnOutput: true });
}
