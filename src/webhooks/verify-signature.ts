import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future';
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

const hmacHex = (algorithm: 'sha1' | 'sha256', secret: string, ...parts: (string | Uint8Array)[]) => {
  const h = createHmac(algorithm, secret);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Compares hex digests in constant time (lengths are public: they depend only on the algorithm). */
function matchesAny(expected: Buffer[], givenHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(givenHex) || givenHex.length % 2 !== 0) return false;
  const given = Buffer.from(givenHex, 'hex');
  let ok = false;
  for (const e of expected) if (e.length === given.length && timingSafeEqual(e, given)) ok = true;
  return ok;
}

/**
 * Webex's `X-Spark-Signature`: hex HMAC-SHA1 of the raw body with the webhook secret. No timestamp,
 * so replays are stopped by deduplicating the event id, not here. Several secrets allow rotation.
 */
export function verifyWebexSignature(rawBody: Uint8Array, header: string | undefined, secrets: readonly string[]): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const value = header.trim();
  if (!/^[0-9a-f]{40}$/i.test(value)) return { ok: false, reason: 'malformed' };
  return matchesAny(secrets.map((s) => hmacHex('sha1', s, rawBody)), value) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

export const EVENT_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The desk's `Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">` (several v1 values are
 * accepted, for a sender mid-rotation), within five minutes of now either way.
 */
export function verifyEventSignature(rawBody: Uint8Array, header: string | undefined, secrets: readonly string[], nowUnix: number, toleranceSeconds = EVENT_SIGNATURE_TOLERANCE_SECONDS): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v) timestamp = v;
    else if (k === 'v1' && v) signatures.push(v);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const t = Number(timestamp);
  if (t < nowUnix - toleranceSeconds) return { ok: false, reason: 'stale' };
  if (t > nowUnix + toleranceSeconds) return { ok: false, reason: 'future' };
  const expected = secrets.map((s) => hmacHex('sha256', s, `${timestamp}.`, rawBody));
  return signatures.some((sig) => matchesAny(expected, sig)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** The header the desk sends with its own outbound webhooks. */
export function signEvent(rawBody: string, secret: string, nowUnix: number): string {
  return `t=${nowUnix},v1=${hmacHex('sha256', secret, `${nowUnix}.`, rawBody).toString('hex')}`;
}
