import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createPoller, type Poller } from './create-poller.js';

export { INBOX_MAX_ATTEMPTS } from '../use-cases/run-inbox-batch.js';

/**
 * Applies stored inbound events, each with its effect in one transaction; transient failures retry
 * with backoff, permanent ones park the event as `failed` for replay.
 */
export function createInboxWorker(deps: {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  pollMs: number;
  random?: () => number;
  /** Upstream mode: event-driven subscriber changes go through Webex. */
  viaWebex?: boolean;
}): Poller {
  const logger = deps.logger.child({ component: 'inbox-worker' });
  const batch = {
    clock: deps.clock,
    ids: deps.ids,
    logger,
    viaWebex: deps.viaWebex ?? false,
    ...(deps.random ? { random: deps.random } : {}),
  };
  return createPoller('inbox-worker', () => deps.useCases.runInboxBatch(batch), { pollMs: deps.pollMs, logger: deps.logger });
}
