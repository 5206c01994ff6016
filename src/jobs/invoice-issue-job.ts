import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';

export interface InvoiceIssueJob {
  /** Issues the month before `now` for every partner unless another instance has; answers whether this one ran it. */
  runNow(): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Issues last month's invoices on INVOICE_ISSUE_SCHEDULE (cron, UTC; default the 1st at 06:00). The run is
 * claimed in job_runs under the month, so several instances issue once; a failed run is tried again at the
 * next firing or start (up to three attempts), and POST /v1/billing/invoices/issue does the same on demand.
 * Starting on the 2nd of a month or later catches up a firing missed while the service was down.
 */
export function createInvoiceIssueJob(deps: {
  useCases: UseCases;
  logger: Logger;
  clock: Clock;
  schedule: string;
  instanceId: string;
  numberPrefix: string;
}): InvoiceIssueJob {
  const log = deps.logger.child({ component: 'invoice-issue' });
  let task: ScheduledTask | undefined;
  let running: Promise<boolean> | undefined;

  async function runNow(): Promise<boolean> {
    const outcomes = await deps.useCases.runScheduledInvoiceIssue(deps.instanceId, deps.clock.now(), { numberPrefix: deps.numberPrefix });
    if (!outcomes) return false;
    for (const o of outcomes)
      if (o.error) log.error({ partnerId: o.partnerId, error: o.error }, 'invoices not issued');
      else log.info({ partnerId: o.partnerId, issued: o.issued, alreadyIssued: o.alreadyIssued }, 'invoices issued');
    return true;
  }

  return {
    runNow,
    start() {
      task = cron.schedule(
        deps.schedule,
        () => {
          running ??= runNow()
            .catch((error) => (log.error({ err: error }, 'scheduled invoice issue failed'), false))
            .finally(() => (running = undefined));
        },
        { name: `invoice-issue-${deps.instanceId}`, timezone: 'Etc/UTC', noOverlap: true },
      );
      log.info({ schedule: deps.schedule }, 'scheduled invoice issue');
      // A firing missed while no instance ran: from the 2nd of the month on, last month is issued at start
      // unless it already was (the claim in job_runs makes this a no-op then, on every instance).
      if (deps.clock.now().getUTCDate() >= 2)
        running ??= runNow()
          .catch((error) => (log.error({ err: error }, 'catch-up invoice issue failed'), false))
          .finally(() => (running = undefined));
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      await running;
    },
  };
}
