import { DEFAULT_SCREENING_THRESHOLD } from '../domain/compliance/review-rules.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createPoller, type Poller } from './create-poller.js';

export type TaskWorker = Poller;

/**
 * Moves accepted work to its end state (provisioning, billing report generation, re-screening). Tasks
 * are leased rows, so a crash or a second instance never loses or doubles work; a failing task backs
 * off exponentially, then parks as `failed`.
 */
export function createTaskWorker(deps: {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  pollMs: number;
  screeningThreshold?: number;
  /** False: with no list loaded, customers are provisioned unscreened (warned) instead of held (SCREENING_REQUIRED). */
  screeningRequired?: boolean | undefined;
  leaseMs?: number | undefined;
  leaseRenewMs?: number | undefined;
  metrics?: Metrics | undefined;
  /** Webex Wholesale in upstream mode. */
  upstream?: WebexWholesalePort | undefined;
}): TaskWorker {
  const logger = deps.logger.child({ component: 'task-worker' });
  const screeningThreshold = deps.screeningThreshold ?? DEFAULT_SCREENING_THRESHOLD;
  const taskDuration = deps.metrics?.taskDuration;
  const observeTask = taskDuration
    ? (kind: string, outcome: string, seconds: number) => taskDuration.observe({ kind, outcome }, seconds)
    : undefined;
  const batch = {
    clock: deps.clock,
    ids: deps.ids,
    logger,
    screeningThreshold,
    screeningRequired: deps.screeningRequired ?? true,
    upstream: deps.upstream,
    leaseMs: deps.leaseMs,
    leaseRenewMs: deps.leaseRenewMs,
    ...(observeTask ? { observeTask } : {}),
  };
  return createPoller('task-worker', () => deps.useCases.runTaskBatch(batch), {
    pollMs: deps.pollMs,
    logger: deps.logger,
  });
}
