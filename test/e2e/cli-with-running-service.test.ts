import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryArgs } from '../support/compiled-service.js';
import { killLeftoverServices, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/**
 * The operator CLI while `npm start` holds the embedded database: it finds the service through DATA_DIR
 * and hands it the command; once the service stopped, it opens the database itself. Runs the CLI as the run's
 * compiled copy, and its help the way `npm run cli` does (scripts/run-cli.mjs, from the TypeScript source).
 */
describe.runIf(testDbKind() === 'pglite')('operator CLI while the service runs on PGlite', () => {
  let dir: string;
  let testDb: TestDatabase;
  let service: SpawnedService;
  const dataDir = () => join(dir, 'data');
  const run = (entry: string[], args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir(), WD_CLI_FROM_SOURCE: '1' };
      execFile(process.execPath, [...entry, ...args], { cwd: process.cwd(), env }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  /** The CLI as the run's compiled copy (as a service is spawned): tsx compiling it costs ~1 s of CPU a command. */
  const cli = (args: string[]) => run(entryArgs('cli'), args);
  /** The CLI exactly as `npm run cli` starts it: scripts/run-cli.mjs, from the TypeScript source. */
  const npmRunCli = (args: string[]) => run(['scripts/run-cli.mjs'], args);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-cli-admin-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(dataDir()); // starts from the migrated template, not initdb + migrations
    service = spawnService({ DATA_DIR: dataDir() });
    await service.listening;
  }, 180_000);
  afterAll(async () => {
    await killLeftoverServices();
    await testDb?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes its admin endpoint for its owner only and never logs the key', async () => {
    const file = join(dataDir(), 'admin-endpoint.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const endpoint = JSON.parse(await readFile(file, 'utf8')) as { pid: number; port: number; key: string };
    expect(endpoint.pid).toBe(service.child.pid);
    expect(service.output()).not.toContain(endpoint.key);
  });

  it('creates a token through the running service, and the token works on the API', async () => {
    const created = await cli(['token', 'create', '--name', 'crm', '--scopes', 'spark-admin:wholesale_customers_read']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const token = /(wdk_\S+)/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${service.url}/v1/wholesale/customers`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${service.url}/v1/wholesale/customers`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(403);
    expect(service.output()).not.toContain(token);
    expect((await cli(['token', 'list'])).stdout).toMatch(/crm {2}active {2}spark-admin:wholesale_customers_read/);
  }, 120_000);

  it('answers bad input with the same message and exit code as on the database directly', async () => {
    const badRole = await cli(['staff', 'add', 'x@y.example', '--role', 'boss']);
    expect([badRole.code, badRole.stdout.trim()]).toEqual([1, 'error: --role must be admin, operator or viewer']);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/unknown command "frobnicate"/);
    const badOption = await cli(['token', 'list', '--colour', 'red']);
    expect(badOption.code).toBe(1);
    expect(badOption.stderr).toMatch(/Unknown option '--colour'.*npm run cli -- help/);
  }, 120_000);

  it("shows help in both forms, and one command's, without touching the database", async () => {
    for (const args of [['help'], ['--help']]) {
      const help = await npmRunCli(args);
      expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/^Usage: npm run cli -- <command>\n[\s\S]*token create --name/)]);
    }
    const token = await npmRunCli(['help', 'token']);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/token create[\s\S]*token list[\s\S]*token revoke/);
    expect(token.stdout).not.toMatch(/staff add/);
    expect((await npmRunCli(['staff', '--help'])).stdout).toMatch(/staff add[\s\S]*staff list/);
    const none = await npmRunCli(['help', 'frobnicate']);
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('no command "frobnicate"; the commands are help, partner')]);
  }, 120_000);

  it('opens the database itself once the service stopped', async () => {
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    await expect(stat(join(dataDir(), 'admin-endpoint.json'))).rejects.toThrow(/ENOENT/);
    const listed = await cli(['token', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/crm {2}active/);
    expect((await cli(['help'])).code).toBe(0);
  }, 180_000);
});
