import { Hono, type Context } from 'hono';
import { headersFor, statusFor, toErrorBody } from '../contracts/error-body.js';
import type { Problem } from '../domain/problems.js';
import type { Logger } from '../logger.js';
import { readRawBody } from '../webhooks/read-raw-body.js';
import { eventTooLarge, MAX_WEBEX_EVENT_BYTES } from './verify-webex-event.js';
import type { WebexReceiver } from './webex-receiver.js';

/** What the route reads from the app's request middleware; the app's own environment may carry more. */
export type WebexRouteEnv = { Variables: { requestId: string; log: Logger } };

/** The API's error body (Webex's shape, from the contracts: the webex edge does not depend on src/api). */
function refuse<E extends WebexRouteEnv>(c: Context<E>, problems: readonly Problem[]) {
  return c.json(toErrorBody(problems, c.get('requestId') ?? 'unknown'), statusFor(problems), headersFor(problems));
}

/** POST / (mounted at WEBEX_EVENTS_PATH): reads the exact bytes and leaves the rest to the receiver. */
export function createWebexEventRoutes<E extends WebexRouteEnv = WebexRouteEnv>(receiver: WebexReceiver): Hono<E> {
  const routes = new Hono<E>();
  routes.post('/', async (c) => {
    const length = c.req.header('content-length');
    if (length !== undefined && Number(length) > MAX_WEBEX_EVENT_BYTES) return refuse(c, [eventTooLarge()]);
    const raw = await readRawBody(c, MAX_WEBEX_EVENT_BYTES);
    const receipt = await receiver.receive({ raw, signature: c.req.header('x-spark-signature'), log: c.get('log') });
    if (!receipt.ok) return refuse(c, receipt.problems);
    return c.text('OK');
  });
  return routes;
}
