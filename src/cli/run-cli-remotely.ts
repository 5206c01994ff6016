import { request } from 'node:http';
import type { CliOptions, CliResult } from './cli-options.js';
import { ADMIN_COMMAND_PATH, type AdminEndpoint, lockHolderOf, readAdminEndpoint } from '../platform/admin-endpoint.js';

/** The running service could not take the command; the message says what to do (the CLI exits 2). */
export class AdminEndpointError extends Error {
  override readonly name = 'AdminEndpointError';
}

/**
 * Who has DATA_DIR: `direct` when no live process holds its lock (the CLI opens the database itself),
 * else the holder's admin endpoint. A holder without one yet (a service still starting, or another CLI
 * run) is waited for up to `waitMs`.
 */
export async function findDataDirHolder(
  dataDir: string,
  waitMs = 15_000,
): Promise<{ kind: 'direct' } | { kind: 'service'; endpoint: AdminEndpoint }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pid = await lockHolderOf(dataDir);
    if (!pid) return { kind: 'direct' };
    const endpoint = await readAdminEndpoint(dataDir);
    if (endpoint?.pid === pid) return { kind: 'service', endpoint };
    if (Date.now() >= deadline)
      throw new AdminEndpointError(
        `DATA_DIR "${dataDir}" is in use by process ${pid}, which offers no admin endpoint (a service still starting, or a release before it had one); try again once it logged "listening", or stop it`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends the command to the service's loopback admin endpoint; its answer is what the CLI prints. */
export async function runCliRemotely(endpoint: AdminEndpoint, args: string[], options: CliOptions): Promise<CliResult> {
  let answer: { status: number; text: string };
  try {
    answer = await post(endpoint, JSON.stringify({ args, options }));
  } catch (error) {
    throw new AdminEndpointError(
      `the service (process ${endpoint.pid}) holds DATA_DIR but its admin endpoint 127.0.0.1:${endpoint.port} did not answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let body: { output?: unknown; exitCode?: unknown; error?: unknown } = {};
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    // not JSON: reported below
  }
  if (answer.status === 200 && typeof body.output === 'string' && typeof body.exitCode === 'number')
    return { output: body.output, exitCode: body.exitCode };
  throw new AdminEndpointError(
    `the service (process ${endpoint.pid}) refused the command (HTTP ${answer.status}): ${typeof body.error === 'string' ? body.error : 'no reason given'}`,
  );
}

/** node:http rather than fetch: undici's load time would be most of a short command's. */
function post(endpoint: AdminEndpoint, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: endpoint.port,
        path: ADMIN_COMMAND_PATH,
        method: 'POST',
        headers: { authorization: `Bearer ${endpoint.key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 120_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
    req.on('error', reject);
    req.end(body);
  });
}
