import http from 'node:http';
import https from 'node:https';
import { parseWebhookAllowList, refuseResolvedAddresses, refuseWebhookUrl } from '../domain/webhook-targets.js';
import { hostOf, pinLookup, type ResolvedAddress, type ResolveHost, resolveAddresses, resolveWithDns } from '../platform/pinned-lookup.js';
import type { DeliveryAttempt, OutboundDelivery } from '../use-cases/run-delivery-batch.js';
import { signEvent } from './verify-signature.js';

/** How long one POST may take, answer included; the dispatcher's lease is far longer (see DELIVERY_LEASE_MS). */
export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4_096;

export type { ResolvedAddress };

export interface DeliverySenderOptions {
  /** WEBHOOK_ALLOWED_HOSTS: host names, addresses or CIDR ranges that may be reached although not public. */
  allowedHosts?: readonly string[];
  /** Resolves a host name to every address (dns.lookup with all: true); tests inject their own. */
  resolve?: ResolveHost;
  timeoutMs?: number;
}

/**
 * The outbound HTTP side of webhook delivery: a signed POST, no redirects followed, at most 4 KB of
 * any answer read. Before connecting, the host is resolved and every address checked (a name may
 * resolve elsewhere than when it was registered); the connection then goes to the checked address
 * itself, so DNS cannot switch it between check and connect (TLS still verifies the host name). A
 * refused target comes back `refused`; any other failure as the attempt's error; it never throws.
 */
export function createDeliverySender(opts: DeliverySenderOptions = {}): (d: OutboundDelivery, at: Date) => Promise<DeliveryAttempt> {
  const allow = parseWebhookAllowList(opts.allowedHosts ?? []);
  const resolve = opts.resolve ?? resolveWithDns;
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return async function send(d, at) {
    const refusedUrl = refuseWebhookUrl(d.url, allow);
    if (refusedUrl) return refused(refusedUrl);
    const url = new URL(d.url);
    const host = hostOf(url);
    let addresses: ResolvedAddress[];
    try {
      addresses = await resolveAddresses(host, resolve);
    } catch (e) {
      return { statusCode: null, error: `cannot resolve ${host}: ${e instanceof Error ? e.message : String(e)}`, retryAfter: null };
    }
    const refusedAddress = refuseResolvedAddresses(
      host,
      addresses.map((a) => a.address),
      allow,
    );
    if (refusedAddress) return refused(refusedAddress);
    const target = addresses[0] as ResolvedAddress;
    try {
      const res = await post(url, target, d, at, timeoutMs);
      let error: string | null = null;
      if (res.status >= 300 && res.status < 400)
        error = `redirect to ${res.location ?? '(none)'} not followed; point the subscription at the final URL`;
      else if (res.status < 200 || res.status >= 300) error = `receiver answered ${res.status}`;
      return { statusCode: res.status, error, retryAfter: res.retryAfter };
    } catch (e) {
      return { statusCode: null, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), retryAfter: null };
    }
  };
}

const refused = (why: string): DeliveryAttempt => ({ statusCode: null, error: `refused: ${why}`, retryAfter: null, refused: true });

/** One POST to the checked address: the lookup is pinned to it, whatever the host name resolves to now. */
function post(
  url: URL,
  target: ResolvedAddress,
  d: OutboundDelivery,
  at: Date,
  timeoutMs: number,
): Promise<{ status: number; location: string | null; retryAfter: string | null }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: pinLookup(target),
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(d.payload),
          'user-agent': 'WholesaleDesk-Webhooks/1',
          'webhook-id': d.event_id,
          'webhook-signature': signEvent(d.payload, d.secret, Math.floor(at.getTime() / 1000)),
        },
      },
      (res) => {
        // At most MAX_RESPONSE_BYTES of an answer are read, then it is dropped: a receiver cannot flood us.
        const answer = () => ({
          status: res.statusCode ?? 0,
          location: header(res.headers.location),
          retryAfter: header(res.headers['retry-after']),
        });
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.byteLength;
          if (read >= MAX_RESPONSE_BYTES) {
            resolve(answer());
            res.destroy();
          }
        });
        res.on('end', () => resolve(answer()));
        res.on('close', () => resolve(answer()));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(d.payload);
  });
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
