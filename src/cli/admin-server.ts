import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminCommandRequestSchema } from '../contracts/admin-command.js';
import type { Logger } from '../logger.js';
import { ADMIN_COMMAND_PATH, adminKeyMatches, isLoopbackAddress } from '../platform/admin-endpoint.js';
import type { CliOptions, CliResult } from './cli-options.js';

/** Runs one CLI command inside the service (the same `runCliCommand` the CLI runs on its own). */
export type AdminCommandRunner = (args: string[], options: CliOptions) => Promise<CliResult>;

const MAX_BODY_BYTES = 64 * 1024;

export interface AdminRequest {
  method: string;
  path: string;
  remoteAddress: string | undefined;
  authorization: string | undefined;
  body: string;
}

/**
 * The admin endpoint's answer to one request, apart from the socket so every refusal is testable:
 * a peer off the loopback is refused before the key is even looked at, a missing or wrong key is 401,
 * a body that is not a command is 400 saying what to fix. The key is never logged or echoed.
 */
export async function answerAdminRequest(
  req: AdminRequest,
  deps: { key: string; run: AdminCommandRunner; logger: Logger },
): Promise<{ status: number; body: object }> {
  if (!isLoopbackAddress(req.remoteAddress)) {
    deps.logger.warn({ remoteAddress: req.remoteAddress }, 'admin endpoint: refused a peer that is not on the loopback');
    return { status: 403, body: { error: 'the admin endpoint answers only this machine (loopback)' } };
  }
  const presented = /^Bearer (\S+)$/.exec(req.authorization ?? '')?.[1];
  if (!presented || !adminKeyMatches(presented, deps.key)) {
    deps.logger.warn({ remoteAddress: req.remoteAddress }, 'admin endpoint: refused a request without the right key');
    return {
      status: 401,
      body: { error: 'send "Authorization: Bearer <key>" with the key from DATA_DIR/admin-endpoint.json (the service writes it at start)' },
    };
  }
  if (req.path !== ADMIN_COMMAND_PATH) return { status: 404, body: { error: `the admin endpoint has only POST ${ADMIN_COMMAND_PATH}` } };
  if (req.method !== 'POST') return { status: 405, body: { error: `use POST ${ADMIN_COMMAND_PATH}` } };
  let json: unknown;
  try {
    json = JSON.parse(req.body);
  } catch {
    return { status: 400, body: { error: 'the body must be JSON: {"args": ["token", "list"], "options": {}}' } };
  }
  const parsed = adminCommandRequestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { status: 400, body: { error: `${first?.path.join('.') || 'body'}: ${first?.message ?? 'not a command'}` } };
  }
  const { args, options } = parsed.data;
  // The command's words only: its arguments may name a token or carry what an operator typed.
  const command = args.slice(0, 2).join(' ').slice(0, 60);
  try {
    const result = await deps.run(args, options);
    deps.logger.info({ command, exitCode: result.exitCode }, 'admin command from the CLI');
    return { status: 200, body: result };
  } catch (error) {
    deps.logger.error({ err: error, command }, 'admin command failed');
    return { status: 500, body: { error: `"${command}" failed inside the service; its log says why` } };
  }
}

/** Listens on 127.0.0.1 (a port the OS picks) for the CLI's commands. */
export async function startAdminServer(deps: {
  key: string;
  run: AdminCommandRunner;
  logger: Logger;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const answer =
        body === undefined
          ? { status: 413, body: { error: `a command fits in ${MAX_BODY_BYTES} bytes` } }
          : await answerAdminRequest(
              {
                method: req.method ?? 'GET',
                path: (req.url ?? '/').split('?')[0] ?? '/',
                remoteAddress: req.socket.remoteAddress,
                authorization: req.headers.authorization,
                body,
              },
              deps,
            );
      res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** The request body as text, or undefined past the size limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
