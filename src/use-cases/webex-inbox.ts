import {
  abandonWebexEvents,
  claimWebexEvent,
  insertWebexEvent,
  markWebexEventDone,
  takeWebexEventsToHandOver,
  type StoredWebexEvent,
} from '../db/repositories/webex-inbox.js';
import type { Store } from './store.js';

export type { StoredWebexEvent };

/**
 * Stores a verified Webex delivery before it is acknowledged; the key deduplicates Webex's retries.
 * The bot's own messages (`own`) are stored done: there is nothing to do for them, but a retry of
 * one must still find it. True when this call stored the event (false: a duplicate).
 */
export function recordWebexEvent(store: Store, event: StoredWebexEvent & { own: boolean }, now: Date): Promise<boolean> {
  return insertWebexEvent(store, {
    key: event.key,
    payload: event.payload,
    status: event.own ? 'done' : 'received',
    receivedAt: now,
    handovers: event.own ? 0 : 1,
  });
}

/**
 * The first handler to claim an event runs it; a redelivery, or a replay after a restart of an
 * event already handled, finds it done. Websocket events have no stored row: the claim adds one.
 */
export function claimWebexEventForHandling(store: Store, event: StoredWebexEvent, now: Date): Promise<boolean> {
  return claimWebexEvent(store, { ...event, now });
}

/** An event no handler claims (anything but messages and card submissions) is done once handed over. */
export function finishWebexEvent(store: Store, key: string, now: Date): Promise<void> {
  return markWebexEventDone(store, key, now);
}

/**
 * Stored events to hand over again: those waiting at least `minAgeMs`, counted as handed over once
 * more. Events older than `recoveryWindowMs` or handed over `maxHandovers` times are given up first.
 */
export async function takeStoredWebexEvents(
  store: Store,
  o: { now: Date; minAgeMs: number; recoveryWindowMs: number; maxHandovers: number },
): Promise<StoredWebexEvent[]> {
  const now = o.now.getTime();
  await abandonWebexEvents(store, { receivedBefore: new Date(now - o.recoveryWindowMs), maxHandovers: o.maxHandovers, now: o.now });
  return takeWebexEventsToHandOver(store, new Date(now - o.minAgeMs));
}
