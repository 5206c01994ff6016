import type { IncomingMessage } from 'node:http';

/** What a receiver needs of a request: Node's own request when there is one, else the body as bytes. */
export interface RawBodySource {
  env?: unknown;
  req: { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * The request body as the exact bytes sent (signatures are over them), read straight from Node's
 * request where there is one; past `limit` it stops reading and returns a buffer longer than the
 * limit, which the caller refuses. Typed structurally, so any router's context fits.
 */
export async function readRawBody(c: RawBodySource, limit: number): Promise<Uint8Array> {
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
