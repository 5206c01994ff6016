import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import type { Logger } from '../logger.js';
import { eventTooLarge, MAX_WEBEX_EVENT_BYTES, type WebexRefusal } from './verify-webex-event.js';
import type { WebexReceiver } from './webex-receiver.js';

/** What the route reads from the app's request middleware; the app's own environment may carry more. */
export type WebexRouteEnv = { Variables: { requestId: string; log: Logger } };

/** The API's error body (Webex's shape), built here because the webex edge does not depend on src/api. */
function refuse<E extends WebexRouteEnv>(c: Context<E>, r: WebexRefusal) {
  return c.json({ message: r.message, errors: [{ description: r.message, errorCode: r.errorCode }], trackingId: c.get('requestId') ?? 'unknown' }, r.status);
}

/**
 * The request body as the exact bytes sent (the signature is over them), read straight from Node's
 * request where there is one; past `limit` it stops reading and returns a buffer longer than the
 * limit, which verification refuses. (As src/webhooks/read-raw-body.ts does for the API's events;
 * not shared, because that one is typed to the API's context.)
 */
async function readRawBody<E extends WebexRouteEnv>(c: Context<E>, limit: number): Promise<Uint8Array> {
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

/** POST / (mounted at WEBEX_EVENTS_PATH): reads the exact bytes and leaves the rest to the receiver. */
export function createWebexEventRoutes<E extends WebexRouteEnv = WebexRouteEnv>(receiver: WebexReceiver): Hono<E> {
  const routes = new Hono<E>();
  routes.post('/', async (c) => {
    const length = c.req.header('content-length');
    if (length !== undefined && Number(length) > MAX_WEBEX_EVENT_BYTES) return refuse(c, eventTooLarge());
    const raw = await readRawBody(c, MAX_WEBEX_EVENT_BYTES);
    const receipt = await receiver.receive({ raw, signature: c.req.header('x-spark-signature'), log: c.get('log') });
    if (!receipt.ok) return refuse(c, receipt.refusal);
    return c.text('OK');
  });
  return routes;
}
