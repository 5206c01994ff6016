import { findSubscriber, listSubscribers, type SubscriberFilter } from '../db/repositories/subscribers.js';
import type { Db } from '../db/schema.js';
import type { SubscriberResponse } from '../contracts/index.js';
import { isSubscriberStatus } from '../domain/lifecycle.js';
import type { KeyedItem } from '../domain/list-keyset.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor } from './actor.js';
import { presentSubscriber, toSubscriberResponse } from './responses.js';
import type { Store } from './store.js';

export async function getSubscriber(db: Store, actor: Actor, id: string): Promise<Result<SubscriberResponse>> {
  const row = await findSubscriber(db, actor.partner.id, id);
  return row ? ok(await presentSubscriber(db, row)) : fail(problem('subscriber_not_found', `subscriber ${id} not found`));
}

export const findSubscribers = async (
  db: Db,
  actor: Actor,
  f: Omit<SubscriberFilter, 'partnerId' | 'statuses'> & { statuses?: string[] | undefined },
): Promise<KeyedItem<SubscriberResponse>[]> =>
  (await listSubscribers(db, { partnerId: actor.partner.id, ...f, statuses: f.statuses?.filter(isSubscriberStatus) })).map((r) => ({
    item: toSubscriberResponse(r, r.external_customer_id),
    key: { at: r.page_key, id: r.id },
  }));
