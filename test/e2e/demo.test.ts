import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../support/test-db.js';

/**
 * `npm run demo` as a newcomer runs it (#25): the fake Webex Wholesale and the desk in upstream mode on a
 * fresh data directory, on a port the system chooses; the seeded customers are provisioned through the
 * fake; the fake's controls play a revoked token and the desk's retry recovers from it.
 */
// PGlite only, and once: the demo never uses the suite's database.
describe.runIf(testDbKind() === 'pglite')('npm run demo', () => {
  let child: ChildProcess | undefined;
  let out = '';
  afterAll(async () => {
    // npm → sh → tsx → node: the whole group the test started, if a failed test left it running.
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  const waitFor = async <T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 90_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`the demo exited before ${what}:\n${out}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('starts the fake and the desk, provisions the seeded customers, and recovers from a revoked token with one retry', async () => {
    child = spawn('npm', ['run', 'demo'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.stdout?.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => void (out += d.toString()));

    const url = await waitFor('the console URL', () => /Console: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1]);
    const token = await waitFor('the token', () => /Token: (wdk_demo_\w+)/.exec(out)?.[1]);
    const fakeUrl = await waitFor('the fake', () => /Fake Webex Wholesale: (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out)?.[1]);
    const dataDir = await waitFor('the data directory', () => /Data: (\S+)/.exec(out)?.[1]);
    expect(url).not.toMatch(/:3000$/);
    await waitFor('the seeded customers provisioned', () => out.includes('seeded customers are provisioned') || undefined);

    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const api = async (method: string, path: string, body?: unknown) =>
      (await fetch(`${url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) })).json();
    const customers = (await api('GET', '/v1/wholesale/customers')).items as { externalId: string; status: string }[];
    expect(customers.map((c) => [c.externalId, c.status]).sort()).toEqual([
      ['demo-acme', 'provisioned'],
      ['demo-birch', 'provisioned'],
      ['demo-cedar', 'provisioned'],
    ]);
    expect(await (await fetch(`${fakeUrl}/_fake/state`)).json()).toMatchObject({ customers: 3, tokenRevoked: false });

    // The demo's story: revoke, a new customer is held naming the token, restore, one retry.
    await fetch(`${fakeUrl}/_fake/revoke-token`, { method: 'POST' });
    const provisioningId = (await api('GET', '/v1/wholesale/onboardingTemplates')).items[0].provisioningId;
    const address = { addressLine1: '2 Oak Ave', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
    await api('POST', '/v1/wholesale/customers', {
      provisioningId,
      externalId: 'demo-dune',
      packages: ['webex_calling'],
      address,
      customerInfo: { name: 'Dune Vets', primaryEmail: 'it@dune-vets.example' },
      provisioningParameters: { calling: { location: { name: 'HQ', timezone: 'America/Chicago', address } } },
    });
    const dune = async () => (await api('GET', '/v1/wholesale/customers?externalId=demo-dune')).items[0];
    const held = await waitFor('the new customer held', async () => ((await dune()).status === 'error' ? await dune() : undefined), 20_000);
    expect(held.errors[0]).toMatchObject({ errorCode: 2130 });
    expect((await api('GET', '/v1/upstream/status')).state).toBe('unauthorized');

    await fetch(`${fakeUrl}/_fake/restore`, { method: 'POST' });
    expect(await api('POST', '/v1/tasks/retry')).toMatchObject({ retried: 1 });
    await waitFor('the held customer provisioned', async () => (await dune()).status === 'provisioned' || undefined, 30_000);
    expect(await (await fetch(`${fakeUrl}/_fake/state`)).json()).toMatchObject({ customers: 4 });

    // Ctrl-C reaches every process of the group; the demo stops the desk and the fake and removes its data.
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    // npm may exit before the demo's node process has finished cleaning up.
    for (let i = 0; i < 75 && existsSync(dataDir); i++) await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(dataDir)).toBe(false);
  }, 180_000);
});
