import { signEvent } from '../../src/webhooks/verify-signature.js';
import type { TestHarness } from './test-app.js';

export const EVENTS_SECRET = 'events-secret-for-tests-0123456789';
export const OLD_EVENTS_SECRET = 'events-secret-previous-0123456789';

/** Posts an event the way a back-office system would: raw JSON, signed at send time. */
export function postEvent(
  h: TestHarness,
  envelope: unknown,
  opts: { secret?: string; at?: number; header?: string | null; raw?: string } = {},
) {
  const raw = opts.raw ?? JSON.stringify(envelope);
  const t = opts.at ?? Math.floor(h.clock.now().getTime() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)) };
  const header = opts.header === undefined ? signEvent(raw, opts.secret ?? EVENTS_SECRET, t) : opts.header;
  if (header !== null) headers['webhook-signature'] = header;
  return Promise.resolve(h.app.request('/v1/events', { method: 'POST', headers, body: raw }));
}
