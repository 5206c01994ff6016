import { z } from 'zod';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../domain/json-depth.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { signatureFailure, verifyWebexRequest } from '../webhooks/verify-signature.js';

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

export const eventTooLarge = (): Problem => problem('body_too_large', `the event is larger than ${MAX_WEBEX_EVENT_BYTES} bytes`);

/**
 * Checks a Webex webhook delivery without any I/O: its size, X-Spark-Signature over the exact bytes
 * received (in constant time), then that it is UTF-8 JSON shaped like a Webex envelope.
 */
export function verifyWebexEvent(raw: Uint8Array, signature: string | undefined, secret: string): Result<WebexEvent> {
  if (raw.byteLength > MAX_WEBEX_EVENT_BYTES) return fail(eventTooLarge());
  const check = verifyWebexRequest({ signature, body: raw, secrets: [secret] });
  if (!check.ok) {
    const reason = signatureFailure(check.problems);
    return fail(problem('webex_signature_invalid', `X-Spark-Signature ${reason}: the webhook secret does not match WEBEX_WEBHOOK_SECRET`));
  }
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (exceedsJsonDepth(text)) return fail(problem('json_too_deep', jsonTooDeepMessage()));
    json = JSON.parse(text);
  } catch {
    return fail(problem('malformed_body', 'the body is not UTF-8 JSON'));
  }
  const parsed = webexEnvelopeSchema.safeParse(json);
  if (!parsed.success) return fail(problem('malformed_body', 'not a Webex webhook envelope ({id, name, resource, event, data.id})'));
  const envelope = parsed.data;
  const personId = envelope.data.personId;
  return ok({
    key: `${envelope.resource}:${envelope.event}:${envelope.data.id}`,
    resource: envelope.resource,
    personId: typeof personId === 'string' ? personId : undefined,
    body: envelope,
  });
}
