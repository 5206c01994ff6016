import type { Result } from '../domain/problems.js';
import type { Logger } from '../logger.js';
import { verifyWebexEvent, type WebexEvent } from './verify-webex-event.js';

/** Where the receiver stores a verified event; true when it was stored now (false: already there). */
export type StoreWebexEvent = (event: WebexEvent, own: boolean) => Promise<boolean>;

export interface WebexDelivery {
  /** The body exactly as received. */
  raw: Uint8Array;
  /** The X-Spark-Signature header. */
  signature: string | undefined;
  /** The request's logger. */
  log: Logger;
}

/** Acknowledge (`ok`), or refuse with the problems the route answers. */
export type WebexReceipt = Result<void>;

export interface WebexReceiver {
  receive(delivery: WebexDelivery): Promise<WebexReceipt>;
}

export interface WebexReceiverDeps {
  secret: string;
  store: StoreWebexEvent;
  /** The bot's own person id, once known: Webex also reports the bot's own messages. */
  botPersonId: () => string | undefined;
  /** Hands a newly stored event to processing; it must not wait for it (Webex wants a quick answer). */
  process: (event: WebexEvent) => void;
}

/**
 * Verify, store, acknowledge: an event is acknowledged only once it is stored, so a crash after the
 * answer loses nothing, and a redelivery (same key) is acknowledged without being stored or
 * processed again. Processing is separate (webex-event-processor.ts) and starts after the store.
 */
export function createWebexReceiver(deps: WebexReceiverDeps): WebexReceiver {
  return {
    async receive({ raw, signature, log }) {
      const check = verifyWebexEvent(raw, signature, deps.secret);
      if (!check.ok) {
        const refused = check.problems.find((p) => p.code === 'webex_signature_invalid');
        if (refused) log.warn({ reason: refused.message }, 'webex webhook refused');
        return check;
      }
      const event = check.value;
      // Webex also reports the bot's own messages; there is nothing to do for those.
      const own = event.personId !== undefined && event.personId === deps.botPersonId();
      const stored = await deps.store(event, own);
      if (stored && !own) deps.process(event);
      return { ok: true, value: undefined };
    },
  };
}
