import { isStoreUnavailable, type InboundEventToStore } from '../use-cases/inbound-events.js';
import type { UseCases } from '../use-cases/use-cases.js';

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
 * database's commit rate per batch, not per event. Nothing is acknowledged unless it is stored; a
 * failed batch is retried event by event, so only the events that fail on their own are refused.
 */
export function createInboxWriter(useCases: UseCases) {
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
    const firsts = [...first.values()];
    try {
      const stored = await useCases.storeInboundEvents(firsts.map((p) => p.event));
      for (const p of batch) p.resolve(first.get(p.event.id) === p && stored.has(p.event.id));
    } catch (error) {
      // A database that is down fails them all alike: retrying one by one would only wait longer.
      if (firsts.length === 1 || isStoreUnavailable(error)) for (const p of batch) p.reject(error);
      else await storeOneByOne(firsts, batch, first);
    } finally {
      inFlight -= 1;
      if (queue.length) schedule();
    }
  }

  /**
   * The batch failed: one bad event must not fail its neighbours, so each event is stored in its
   * own INSERT and each caller gets its own answer. The failed batch rolled back, so nothing is
   * stored twice.
   */
  async function storeOneByOne(firsts: Pending[], batch: Pending[], first: Map<string, Pending>) {
    const outcomes = await useCases.storeInboundEventsSeparately(firsts.map((p) => p.event));
    for (const p of batch) {
      const outcome = outcomes.get(p.event.id);
      // A copy of an event whose first copy failed is not acknowledged either.
      if (!outcome || 'error' in outcome) p.reject(outcome && 'error' in outcome ? outcome.error : new Error('not stored'));
      else p.resolve(first.get(p.event.id) === p && outcome.stored);
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
