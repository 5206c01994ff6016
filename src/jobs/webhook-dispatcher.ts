import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import { runDeliveryBatch, type DeliveryAttempt, type OutboundDelivery } from '../use-cases/run-delivery-batch.js';
import type { Store } from '../use-cases/store.js';
import { createPoller, type Poller } from './create-poller.js';

export { DELIVERY_MAX_ATTEMPTS } from '../use-cases/run-delivery-batch.js';

export interface DispatcherDeps {
  db: Store;
  logger: Logger;
  clock: Clock;
  pollMs: number;
  /** The HTTP side (src/webhooks/post-delivery.ts), handed in by the composition root. */
  send: (delivery: OutboundDelivery, at: Date) => Promise<DeliveryAttempt>;
  random?: () => number;
}

/**
 * Delivers the outbox: one receiver's events one at a time and in order, different receivers in
 * parallel. A failure retries with exponential backoff and jitter (or the receiver's Retry-After);
 * after the last attempt the delivery is dead, visible and replayable. Every attempt is recorded.
 */
export function createWebhookDispatcher(deps: DispatcherDeps): Poller {
  const logger = deps.logger.child({ component: 'webhook-dispatcher' });
  const batch = { clock: deps.clock, logger, send: deps.send, ...(deps.random ? { random: deps.random } : {}) };
  return createPoller('webhook-dispatcher', () => runDeliveryBatch(deps.db, batch), { pollMs: deps.pollMs, logger: deps.logger });
}
