import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import type { DeliveryAttempt, OutboundDelivery } from '../use-cases/run-delivery-batch.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createPoller, type Poller } from './create-poller.js';

export { DELIVERY_MAX_ATTEMPTS } from '../use-cases/run-delivery-batch.js';

export interface DispatcherDeps {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  pollMs: number;
  /** The HTTP side (src/webhooks/post-delivery.ts), handed in by the composition root. */
  send: (delivery: OutboundDelivery, at: Date) => Promise<DeliveryAttempt>;
  random?: () => number;
  /** Opens a stored (sealed) subscription secret before signing. */
  openSecret?: (stored: string) => string;
  /** Receivers served at once (DELIVERY_LANES by default). */
  lanes?: number;
}

/**
 * Delivers the outbox: one receiver's events one at a time and in order, up to DELIVERY_LANES
 * receivers in parallel, a slow one holding only its own lane. A failure retries with exponential
 * backoff and jitter (or the receiver's Retry-After); after the last attempt the delivery is dead,
 * visible and replayable. Every attempt is recorded.
 */
export function createWebhookDispatcher(deps: DispatcherDeps): Poller {
  const logger = deps.logger.child({ component: 'webhook-dispatcher' });
  const lanes = deps.useCases.createDeliveryLanes({
    clock: deps.clock,
    logger,
    send: deps.send,
    ...(deps.openSecret ? { openSecret: deps.openSecret } : {}),
    waitMs: deps.pollMs,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.lanes ? { lanes: deps.lanes } : {}),
  });
  const poller = createPoller('webhook-dispatcher', () => lanes.runBatch(), { pollMs: deps.pollMs, logger: deps.logger });
  return {
    ...poller,
    wake() {
      // A batch waiting on a slow receiver claims the new work now; an idle poller runs now.
      lanes.wake();
      poller.wake();
    },
  };
}
