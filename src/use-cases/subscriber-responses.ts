import type { SubscriberResponse } from '../contracts/index.js';
import { ok, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { createSubscriber, type CreateSubscriberInput } from './create-subscriber.js';
import { presentSubscriber, toSubscriberResponse } from './responses.js';
import type { Store } from './store.js';
import { type UpdateSubscriberInput, updateSubscriberRequest } from './update-subscriber.js';

/*
 * Creating and changing a subscriber as the edges call them: the answer is the contract's subscriber
 * (SubscriberResponse). The operations themselves hand back rows, because other use-cases compose them
 * (an inbound event applies them inside its own transaction).
 */

export async function createSubscriberAnswering(
  store: Store,
  actor: Actor,
  input: CreateSubscriberInput,
  deps: UseCaseDeps,
): Promise<Result<SubscriberResponse>> {
  const r = await createSubscriber(store, actor, input, deps);
  return r.ok ? ok(toSubscriberResponse(r.value.subscriber, r.value.customer.external_id)) : r;
}

export async function updateSubscriberAnswering(
  store: Store,
  actor: Actor,
  id: string,
  input: UpdateSubscriberInput,
  deps: UseCaseDeps,
): Promise<Result<SubscriberResponse>> {
  const r = await updateSubscriberRequest(store, actor, id, input, deps);
  return r.ok ? ok(await presentSubscriber(store, r.value)) : r;
}
