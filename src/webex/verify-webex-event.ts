import { z } from 'zod';
import { signatureFailure, verifyWebexRequest, type SignatureFailure } from '../webhooks/verify-signature.js';

export const MAX_WEBEX_EVENT_BYTES = 1_000_000;

const webexEnvelopeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    resource: z.string(),
    event: z.string(),
    data: z.object({ id: z.string() }).loose(),
  })
  .loose();

/** A verified Webex webhook delivery. */
export interface WebexEvent {
  /** `resource:event:data.id`: the same event redelivered has the same key. */
  key: string;
  resource: string;
  /** Who caused it (`data.personId`), when Webex says. */
  personId: string | undefined;
  /** The envelope as Webex posted it, every field kept. */
  body: Record<string, unknown>;
}

/** Why a delivery is refused, in HTTP terms: the receiver answers it as is. */
export interface WebexRefusal {
  status: 400 | 401 | 413;
  message: string;
  errorCode: number;
  /** For a refused signature: what was wrong with it (logged, not sent). */
  signature?: SignatureFailure;
}

export type WebexEventCheck = { ok: true; event: WebexEvent } | { ok: false; refusal: WebexRefusal };

export const eventTooLarge = (): WebexRefusal => ({ status: 413, message: `the event is larger than ${MAX_WEBEX_EVENT_BYTES} bytes`, errorCode: 4130 });

/**
 * Checks a Webex webhook delivery without any I/O: its size, X-Spark-Signature over the exact bytes
 * received (in constant time), then that it is UTF-8 JSON shaped like a Webex envelope.
 */
export function verifyWebexEvent(raw: Uint8Array, signature: string | undefined, secret: string): WebexEventCheck {
  if (raw.byteLength > MAX_WEBEX_EVENT_BYTES) return { ok: false, refusal: eventTooLarge() };
  const check = verifyWebexRequest({ signature, body: raw, secrets: [secret] });
  if (!check.ok) {
    const reason = signatureFailure(check.problems);
    return { ok: false, refusal: { status: 401, message: `X-Spark-Signature ${reason}: the webhook secret does not match WEBEX_WEBHOOK_SECRET`, errorCode: 4012, signature: reason } };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return { ok: false, refusal: { status: 400, message: 'the body is not UTF-8 JSON', errorCode: 4000 } };
  }
  const parsed = webexEnvelopeSchema.safeParse(json);
  if (!parsed.success) return { ok: false, refusal: { status: 400, message: 'not a Webex webhook envelope ({id, name, resource, event, data.id})', errorCode: 4000 } };
  const envelope = parsed.data;
  const personId = envelope.data.personId;
  return {
    ok: true,
    event: { key: `${envelope.resource}:${envelope.event}:${envelope.data.id}`, resource: envelope.resource, personId: typeof personId === 'string' ? personId : undefined, body: envelope },
  };
}
