import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';

export type SignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future';

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

const refuse = (reason: SignatureFailure, message: string) => fail(problem(`signature_${reason}`, message));

/** Which check a refused signature failed, for log lines and messages that name it in one word. */
export function signatureFailure(problems: readonly Problem[]): SignatureFailure {
  const code = problems[0]?.code ?? 'signature_mismatch';
  return (code.startsWith('signature_') ? code.slice('signature_'.length) : 'mismatch') as SignatureFailure;
}

export interface WebexRequestToVerify {
  /** The `X-Spark-Signature` header. */
  signature: string | undefined;
  /** The raw body as received: the HMAC is over these bytes, not a re-serialisation. */
  body: Uint8Array;
  /** Several secrets allow rotation. */
  secrets: readonly string[];
}

/**
 * Webex's `X-Spark-Signature`: hex HMAC-SHA1 of the raw body with the webhook secret. No timestamp,
 * so replays are stopped by deduplicating the event id, not here.
 */
export function verifyWebexRequest({ signature, body, secrets }: WebexRequestToVerify): Result<void> {
  if (!signature) return refuse('missing', 'the X-Spark-Signature header is missing');
  const value = signature.trim();
  if (!/^[0-9a-f]{40}$/i.test(value)) return refuse('malformed', 'the X-Spark-Signature header is not a hex HMAC-SHA1');
  return matchesAny(
    secrets.map((s) => hmacHex('sha1', s, body)),
    value,
  )
    ? ok(undefined)
    : refuse('mismatch', 'the X-Spark-Signature does not match the body');
}

export const EVENT_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface EventRequestToVerify {
  /** The `Webhook-Signature` header. */
  signature: string | undefined;
  /** The raw body as received. */
  body: Uint8Array;
  /** Several secrets allow rotation; a v1 value signed with any of them passes. */
  secrets: readonly string[];
  /** Unix seconds. */
  now: number;
  toleranceSeconds?: number;
}

/**
 * The desk's `Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">` (several v1 values are
 * accepted, for a sender mid-rotation), within five minutes of now either way.
 */
export function verifyEventRequest({
  signature,
  body,
  secrets,
  now,
  toleranceSeconds = EVENT_SIGNATURE_TOLERANCE_SECONDS,
}: EventRequestToVerify): Result<void> {
  if (!signature) return refuse('missing', 'the Webhook-Signature header is missing');
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of signature.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v) timestamp = v;
    else if (k === 'v1' && v) signatures.push(v);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    return refuse('malformed', 'the Webhook-Signature header is not "t=<unix seconds>,v1=<hex HMAC-SHA256>"');
  }
  const t = Number(timestamp);
  if (t < now - toleranceSeconds) return refuse('stale', 'the signature timestamp is more than 5 minutes old; sign at send time');
  if (t > now + toleranceSeconds)
    return refuse('future', 'the signature timestamp is more than 5 minutes in the future; check the sender clock');
  const expected = secrets.map((s) => hmacHex('sha256', s, `${timestamp}.`, body));
  return signatures.some((sig) => matchesAny(expected, sig))
    ? ok(undefined)
    : refuse('mismatch', 'the signature does not match the body (wrong secret, or the body changed in transit)');
}

/** The header the desk sends with its own outbound webhooks. */
export function signEvent(rawBody: string, secret: string, nowUnix: number): string {
  return `t=${nowUnix},v1=${hmacHex('sha256', secret, `${nowUnix}.`, rawBody).toString('hex')}`;
}
