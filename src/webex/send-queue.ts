import type { OutgoingMessage } from '../bot/outgoing.js';
import type { Logger } from '../logger.js';
import { createKeyedQueue } from './keyed-queue.js';
import { WebexApiError, WebexRateLimited, type WebexClient } from './webex-client.js';

const MAX_ATTEMPTS = 5;
const MAX_WAIT_MS = 5 * 60_000;

export interface SendQueue {
  /** Sends the messages to the space in order, after whatever is already queued there; resolves with how many could not be delivered. */
  send(spaceId: string, messages: readonly OutgoingMessage[]): Promise<number>;
  /** Resolves when every queue is empty. */
  idle(): Promise<void>;
}

/**
 * One queue per space: messages to a space keep their order, and a 429 from Webex holds that
 * space's queue for Retry-After before the same message is tried again; other spaces carry on.
 * Server errors are retried with a growing pause; a message that still fails is logged and
 * dropped, so one bad message never blocks a space.
 */
export function createSendQueue(
  client: WebexClient,
  log: Logger,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): SendQueue {
  const spaces = createKeyedQueue();

  async function deliver(spaceId: string, message: OutgoingMessage): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.createMessage(spaceId, message);
        return true;
      } catch (error) {
        const retriable =
          error instanceof WebexRateLimited || (error instanceof WebexApiError && error.retriable) || error instanceof TypeError;
        if (!retriable || attempt >= MAX_ATTEMPTS) {
          log.error({ err: error, space: spaceId, attempt }, 'webex message not delivered');
          return false;
        }
        const wait = error instanceof WebexRateLimited ? Math.min(error.retryAfterMs, MAX_WAIT_MS) : 500 * 2 ** (attempt - 1);
        log.warn({ space: spaceId, attempt, waitMs: wait, reason: (error as Error).message }, 'webex send retry');
        await sleep(wait);
      }
    }
  }

  return {
    send: (spaceId, messages) =>
      spaces.run(spaceId, async () => {
        let failed = 0;
        for (const m of messages) if (!(await deliver(spaceId, m))) failed++;
        return failed;
      }),
    idle: () => spaces.idle(),
  };
}
