import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createPoller, type Poller } from './create-poller.js';

/** Checks review deadlines every minute; safe on several instances (reviews are claimed with SKIP LOCKED). */
export function createComplianceDeadlineJob(deps: {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  pollMs?: number;
}): Poller {
  const log = deps.logger.child({ component: 'compliance-deadlines' });
  let lastRun = 0;
  return createPoller(
    'compliance-deadlines',
    async () => {
      const now = deps.clock.now();
      // The poller drains until idle; one pass per poll is enough for deadlines.
      if (now.getTime() === lastRun) return 0;
      lastRun = now.getTime();
      const n = await deps.useCases.enforceComplianceDeadlines({ now, uuid: deps.ids.uuid });
      if (n) log.info({ reviews: n }, 'compliance deadlines enforced');
      return 0;
    },
    { pollMs: deps.pollMs ?? 60_000, logger: deps.logger },
  );
}
