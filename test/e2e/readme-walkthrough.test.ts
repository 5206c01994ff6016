import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBashBlocks } from '../support/readme.js';
import { testDbKind } from '../support/test-db.js';

const has = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Why the walk-through cannot run here, or undefined when it can: it is bash with curl and jq, as the
 * README says. A machine without them skips it; CI sets REQUIRE_JQ=1 (and installs jq), so there a
 * missing tool fails instead.
 */
const missingTools = ['bash', 'curl', 'jq'].filter((tool) => !has(tool));
const missing = missingTools.length > 0 ? `no ${missingTools.join(', ')}: apt-get install ${missingTools.join(' ')}` : undefined;
if (missing && process.env.REQUIRE_JQ === '1') throw new Error(missing);
if (missing) console.warn(`skipping the README walk-through: ${missing}`);

/** The README's own start line; the test runs it without `npm start`'s build step. */
const START_LINE = 'ADMIN_API_TOKEN=$TOKEN npm start > desk.log 2>&1 &';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runBash(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

/**
 * README's "A five-minute walk-through", run as a newcomer runs it: its bash blocks in order in one
 * bash, on the embedded database in a fresh DATA_DIR, with BASE set to a port the OS picked. Only
 * `npm start` is started as `node --import tsx src/main.ts` (what it runs after its build, without
 * rebuilding dist/ under the other tests); every other line runs as written.
 */
describe.runIf(testDbKind() === 'pglite' && missing === undefined)('the README walk-through, run as a script', () => {
  let dir: string;
  let pidFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-readme-'));
    pidFile = join(dir, 'desk.pid');
  });
  afterAll(async () => {
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
        for (let i = 0; i < 100; i++) {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        }
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('ends with a provisioned customer, its user, its workspace and an invoice to date', { timeout: 400_000 }, async () => {
    const blocks = readmeBashBlocks('## A five-minute walk-through');
    const script = blocks.join('\n');
    expect(script, 'the walk-through starts the desk with its own token').toContain(START_LINE);
    const stateFile = join(dir, 'state');
    const runnable = [
      script.replace(
        START_LINE,
        `ADMIN_API_TOKEN=$TOKEN node --import tsx src/main.ts > "${join(dir, 'desk.log')}" 2>&1 &\necho $! > "${pidFile}"`,
      ),
      // What the shell holds at the end, for the checks below.
      `printf '%s\\n' "$TOKEN" "$CUSTOMER" "$ANN" "$BOB" "$WORKSPACE" > "${stateFile}"`,
    ].join('\n');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const run = await runBash(runnable, {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TZ: 'UTC',
      BASE: base,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
    });
    const log = await readFile(join(dir, 'desk.log'), 'utf8').catch(() => '(no desk.log)');
    expect(run.code, `the walk-through failed:\n${run.output}\n--- desk.log:\n${log}`).toBe(0);
    expect(run.output).toContain('provisioned');
    expect(run.output).toContain('removed Bob: 204');

    const [token, customer, ann, bob, workspace] = (await readFile(stateFile, 'utf8')).split('\n');
    for (const id of [token, customer, ann, bob, workspace]) expect(id, run.output).toMatch(/^[\w-]{20,}$/);
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, `GET ${path}`).toBe(200);
      return res.json();
    };
    const q = encodeURIComponent(customer!);

    // Through the API, as curl shows it.
    const customers = await get('/v1/wholesale/customers?externalId=crm-1001');
    expect(customers.items).toEqual([
      expect.objectContaining({ id: customer, status: 'provisioned', customerInfo: expect.objectContaining({ name: 'Acme Dental' }) }),
    ]);
    const subscribers = await get(`/v1/wholesale/subscribers?customerId=${q}`);
    expect(subscribers.items).toEqual([
      expect.objectContaining({ id: ann, email: 'ann@acme-dental.example', status: 'provisioned', packages: ['webex_calling'] }),
    ]);
    const workspaces = await get(`/v1/wholesale/workspaces?customerId=${q}`);
    expect(workspaces.items).toEqual([expect.objectContaining({ id: workspace, name: 'Lobby', status: 'provisioned' })]);
    const month = new Date().toISOString().slice(0, 7);
    const invoice = await get(`/v1/billing/invoices?customerId=${q}&month=${month}`);
    expect(invoice).toMatchObject({ customerId: customer, customerName: 'Acme Dental', month, provisional: true });

    // In the console: the customer's page answers the same customer, its user and its invoice to date.
    const page = await get(`/v1/console/customers/${q}`);
    expect(JSON.stringify(page)).toContain('ann@acme-dental.example');
    expect(page).toMatchObject({ invoice: expect.objectContaining({ month, provisional: true }) });
  });
});
