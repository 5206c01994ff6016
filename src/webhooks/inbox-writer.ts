import { storeInboundEvents, type InboundEventToStore } from '../use-cases/inbound-events.js';
import type { Store } from '../use-cases/store.js';

interface Pending {
  event: InboundEventToStore;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 500;
/** Commits in flight at once: fewer, larger batches beat many small commits racing for the WAL flush. */
const MAX_IN_FLIGHT = 2;

/**
 * Group commit for the inbox: events arriving together are stored by one multi-row INSERT (one
 * commit), and each request is answered only after that commit. Throughput then follows the
 * database's commit rate per batch, not per event. A failed batch fails every request in it, so
 * nothing is acknowledged unless it is stored.
 */
export function createInboxWriter(store: Store) {
  let queue: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;

  async function flush() {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    inFlight += 1;
    if (queue.length) schedule();
    // A redelivery inside one batch: the first copy is stored, the others are duplicates.
    const first = new Map<string, Pending>();
    for (const p of batch) if (!first.has(p.event.id)) first.set(p.event.id, p);
    try {
      const stored = await storeInboundEvents(
        store,
        [...first.values()].map((p) => p.event),
      );
      for (const p of batch) p.resolve(first.get(p.event.id) === p && stored.has(p.event.id));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      inFlight -= 1;
      if (queue.length) schedule();
    }
  }

  function schedule() {
    if (scheduled || inFlight >= MAX_IN_FLIGHT) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return {
    /** Stores the event (true) or finds its id already stored (false); rejects when the database fails. */
    write(event: InboundEventToStore): Promise<boolean> {
      return new Promise((resolve, reject) => {
        queue.push({ event, resolve, reject });
        schedule();
      });
    },
  };
}
