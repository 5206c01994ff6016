import { queueStats, type LeaseQueueStats } from '../db/lease-queue.js';
import { inboxQueue } from '../db/repositories/inbound-events.js';
import { taskQueue } from '../db/repositories/tasks.js';
import { deliveryQueue } from '../db/repositories/webhooks.js';
import type { Store } from './store.js';

export type { LeaseQueueStats } from '../db/lease-queue.js';

/** How the three queues stand: rows per status, what is due and leased, and the oldest due row's wait. */
export async function loadQueueStats(
  store: Store,
  now: Date,
): Promise<{ tasks: LeaseQueueStats; inbox: LeaseQueueStats; outbox: LeaseQueueStats }> {
  const [tasks, inbox, outbox] = await Promise.all([
    queueStats(store, taskQueue, now),
    queueStats(store, inboxQueue, now),
    queueStats(store, deliveryQueue, now),
  ]);
  return { tasks, inbox, outbox };
}
