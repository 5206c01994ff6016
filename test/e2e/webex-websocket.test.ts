import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startFakeWebex } from '../support/fake-webex.js';
import { spawnService, waitForOutput, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, runsOnceAcrossDatabases, testDbKind } from '../support/test-db.js';

const ADMIN = 'wdk_e2e_admin_token_0123456789abcdef';

/**
 * The real service with the real Webex SDK in websocket mode (PUBLIC_URL unset), against Webex that
 * refuses it or never answers: the bot cannot start, and that must neither take the service down nor
 * hold its shutdown. (Its own file: the SDK's waits make it long, and it runs beside the others.)
 */
describe.runIf(runsOnceAcrossDatabases())(`Webex websocket mode on ${testDbKind()}`, () => {
  const token = 'ZmFrZWJvdHRva2Vu_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f';

  /** Runs the service against Webex at `hydraOrigin` (PUBLIC_URL unset), then stops it with SIGTERM. */
  async function withWebsocketService(hydraOrigin: string, check: (service: SpawnedService) => Promise<void>) {
    const dir = await mkdtemp(join(tmpdir(), 'wd-ws-'));
    const db = await createTestDatabase({ migrated: true });
    await db.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    const service = spawnService({
      ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: join(dir, 'data') }),
      ADMIN_API_TOKEN: ADMIN,
      LOG_LEVEL: 'info',
      WEBEX_BOT_TOKEN: token,
      HYDRA_SERVICE_URL: `${hydraOrigin}/v1`,
      U2C_SERVICE_URL: `${hydraOrigin}/u2c/api/v1`,
    });
    let exit: Awaited<SpawnedService['exited']>;
    try {
      await waitForStatus(service, '/readyz');
      await check(service);
    } finally {
      // A failed check is reported as itself, not as the exit code of the stop that follows it.
      service.child.kill('SIGTERM');
      exit = await service.exited;
      if (process.env.DEBUG_E2E) console.log(service.output());
      await db.dispose();
      await rm(dir, { recursive: true, force: true });
    }
    expect(exit.code, service.output()).toBe(0);
    return service.output();
  }

  it('uses the websocket (no webhooks) when PUBLIC_URL is unset, and keeps the API up while Webex refuses it', async () => {
    // Websocket mode needs a token in Webex's shape, and Webex's device and Mercury services, which
    // the local server does not speak: the bot cannot start, and that must not take the service down.
    const fake = await startFakeWebex({ token });
    try {
      await withWebsocketService(fake.url, async (service) => {
        // When the SDK's own catalog request is still out as the bot asks who it is, the SDK waits its
        // 60 s catalog timeout before it gives up: allow for that.
        await waitForOutput(service, 'webex bot did not start', 150_000);
        expect(service.output()).toContain('retrying in 30 s (check WEBEX_BOT_TOKEN and HYDRA_SERVICE_URL)');
        expect(fake.requests).toContain('GET /people/me');
        expect(fake.requests.some((r) => r.startsWith('GET /u2c/'))).toBe(true);
        expect(fake.webhooks).toHaveLength(0);
        expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      });
    } finally {
      await fake.close();
    }
  });

  it('shuts down promptly and cleanly while Webex accepts connections and never answers', async () => {
    // The SDK sets no timeout on its requests: a start stuck on a silent network must not hold shutdown.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket.on('error', () => undefined)));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const output = await withWebsocketService(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, async (service) => {
        await vi.waitFor(() => expect(sockets.length).toBeGreaterThan(0), { timeout: 20_000 });
        expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      });
      expect(output).toContain('webex bot start still waiting for Webex at shutdown; abandoning it');
      expect(output).toContain('shutdown complete');
      expect(output).not.toContain('webex bot did not start');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
