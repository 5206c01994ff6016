import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from '../api/app-env.js';

/**
 * The request body as the exact bytes sent (signatures are over them), read straight from Node's
 * request where there is one; past `limit` it stops reading and returns a buffer longer than the
 * limit, which the caller refuses.
 */
export async function readRawBody(c: Context<AppEnv>, limit: number): Promise<Uint8Array> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== 'function' || incoming.readableEnded) return new Uint8Array(await c.req.arrayBuffer());
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) break;
    chunks.push(chunk);
  }
  return size > limit ? new Uint8Array(size) : Buffer.concat(chunks, size);
}
