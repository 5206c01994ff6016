import type { DeliveryAttempt, OutboundDelivery } from '../use-cases/run-delivery-batch.js';
import { signEvent } from './verify-signature.js';

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4_096;

/**
 * The outbound HTTP side of webhook delivery: a signed POST, no redirects followed, at most 4 KB of
 * any answer read. A failure never throws: it comes back as the attempt's error. `doFetch` is injected
 * so tests can drive a receiver on localhost; production uses the global fetch.
 */
export function createDeliverySender(doFetch: typeof fetch = fetch): (d: OutboundDelivery, at: Date) => Promise<DeliveryAttempt> {
  return async function send(d, at) {
    let statusCode: number | null = null;
    let error: string | null = null;
    let retryAfter: string | null = null;
    try {
      const res = await doFetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WholesaleDesk-Webhooks/1',
          'webhook-id': d.event_id,
          'webhook-signature': signEvent(d.payload, d.secret, Math.floor(at.getTime() / 1000)),
        },
        body: d.payload,
      });
      statusCode = res.status;
      retryAfter = res.headers.get('retry-after');
      await readCapped(res);
      if (statusCode >= 300 && statusCode < 400)
        error = `redirect to ${res.headers.get('location') ?? '(none)'} not followed; point the subscription at the final URL`;
      else if (statusCode < 200 || statusCode >= 300) error = `receiver answered ${statusCode}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    return { statusCode, error, retryAfter };
  };
}

/** Reads at most MAX_RESPONSE_BYTES of an answer, then drops the rest: a receiver cannot flood us. */
async function readCapped(res: Response): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let read = 0;
  try {
    while (read < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
