import { findSubscriber, listSubscribers, type SubscriberFilter } from '../db/repositories/subscribers.js';
import type { Db, SubscriberRow } from '../db/schema.js';
import { isSubscriberStatus } from '../domain/lifecycle.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor } from './actor.js';

export async function getSubscriber(db: Db, actor: Actor, id: string): Promise<Result<SubscriberRow>> {
  const row = await findSubscriber(db, actor.partner.id, id);
  return row ? ok(row) : fail(problem('subscriber_not_found', `subscriber ${id} not found`));
}

export const findSubscribers = (
  db: Db,
  actor: Actor,
  f: Omit<SubscriberFilter, 'partnerId' | 'statuses'> & { statuses?: string[] | undefined },
) => listSubscribers(db, { partnerId: actor.partner.id, ...f, statuses: f.statuses?.filter(isSubscriberStatus) });
