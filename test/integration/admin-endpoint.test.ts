import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAdminRequest, startAdminServer } from '../../src/cli/admin-server.js';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { ADMIN_COMMAND_PATH, newAdminKey } from '../../src/platform/admin-endpoint.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** The service's loopback endpoint for the operator CLI: who it refuses, and that it runs the CLI's own commands. */
describe(`admin endpoint for the CLI on ${testDbKind()}`, () => {
  let h: TestHarness;
  let logged = '';
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    }),
  );
  const key = newAdminKey();
  const run = (args: string[], options: Record<string, string>) =>
    runCliCommand(h.useCases, args, options, { clock: h.clock, ids: nodeIds });
  const ask = (over: Partial<Parameters<typeof answerAdminRequest>[0]> = {}) =>
    answerAdminRequest(
      {
        method: 'POST',
        path: ADMIN_COMMAND_PATH,
        remoteAddress: '127.0.0.1',
        authorization: `Bearer ${key}`,
        body: JSON.stringify({ args: ['token', 'list'], options: {} }),
        ...over,
      },
      { key, run, logger },
    );

  beforeAll(async () => {
    h = await createTestHarness();
  });
  afterAll(() => h.close());

  it('refuses a peer off the loopback even with the right key', async () => {
    for (const remoteAddress of ['10.0.0.5', '::ffff:192.168.1.9', '2001:db8::1', undefined]) {
      expect(await ask({ remoteAddress })).toMatchObject({ status: 403, body: { error: expect.stringContaining('loopback') } });
    }
    expect((await ask({ remoteAddress: '::ffff:127.0.0.1' })).status).toBe(200);
    expect((await ask({ remoteAddress: '::1' })).status).toBe(200);
  });

  it('refuses a request without the key or with a wrong one, and never echoes or logs the key', async () => {
    const without = await ask({ authorization: undefined });
    expect(without.status).toBe(401);
    expect(JSON.stringify(without.body)).toContain('admin-endpoint.json');
    expect((await ask({ authorization: `Bearer ${newAdminKey()}` })).status).toBe(401);
    expect((await ask({ authorization: key })).status).toBe(401);
    expect((await ask({ authorization: `Bearer ${key.slice(0, -1)}` })).status).toBe(401);
    expect(logged).not.toContain(key);
  });

  it('says what to fix in a body that is not a command', async () => {
    expect(await ask({ body: 'token list' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('JSON') } });
    expect(await ask({ body: JSON.stringify({ args: [] }) })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^args: /) },
    });
    expect(await ask({ body: JSON.stringify({ args: ['token', 'list'], options: { sudo: 'yes' } }) })).toMatchObject({ status: 400 });
    expect(await ask({ path: '/admin/other' })).toMatchObject({ status: 404 });
    expect(await ask({ method: 'GET' })).toMatchObject({ status: 405 });
  });

  it('answers exactly what the CLI prints, exit code included, and the token it creates works on the API', async () => {
    const created = await ask({
      body: JSON.stringify({ args: ['token', 'create'], options: { name: 'crm', scopes: 'spark-admin:wholesale_customers_read' } }),
    });
    expect(created.status).toBe(200);
    const { output, exitCode } = created.body as { output: string; exitCode: number };
    expect(exitCode).toBe(0);
    const token = /(wdk_\S+)/.exec(output)![1]!;
    expect(output).toMatch(/^token \S+ created with scopes spark-admin:wholesale_customers_read\.\nIt is shown only now:/);
    expect((await run(['token', 'list'], {})).output).toMatch(/crm {2}active {2}spark-admin:wholesale_customers_read/);
    expect((await h.call('GET', '/v1/wholesale/customers', undefined, { token })).status).toBe(200);
    expect((await h.call('POST', '/v1/wholesale/customers', {}, { token })).status).toBe(403);
    expect(logged).not.toContain(token);

    const refused = await ask({ body: JSON.stringify({ args: ['staff', 'add', 'x@y.example'], options: { role: 'boss' } }) });
    expect(refused).toEqual({ status: 200, body: { output: 'error: --role must be admin, operator or viewer', exitCode: 1 } });
    expect(await ask({ body: JSON.stringify({ args: ['staff', 'add', 'x@y.example'], options: { role: 'boss' } }) })).toEqual({
      status: 200,
      body: await run(['staff', 'add', 'x@y.example'], { role: 'boss' }),
    });
  });

  it('listens on 127.0.0.1 and refuses a caller without the key over the socket', async () => {
    const server = await startAdminServer({ key, run, logger });
    const post = (authorization?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: ADMIN_COMMAND_PATH,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ args: ['staff', 'list'] }));
      });
    try {
      expect((await post()).status).toBe(401);
      expect((await post('Bearer wrong-key-wrong-key-wrong-key-wrong')).status).toBe(401);
      const ok = await post(`Bearer ${key}`);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toEqual(await run(['staff', 'list'], {}));
    } finally {
      await server.close();
    }
  });
});
