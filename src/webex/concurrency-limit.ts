/** At most `limit` holders at once; the others wait in arrival order. */
export interface ConcurrencyLimit {
  acquire(): Promise<() => void>;
  inFlight(): number;
  waiting(): number;
}

export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  };
  return {
    acquire() {
      if (active < limit) {
        active += 1;
        return Promise.resolve(once(release));
      }
      // The slot passes straight to the next waiter (active stays the same).
      return new Promise((resolve) => queue.push(() => resolve(once(release))));
    },
    inFlight: () => active,
    waiting: () => queue.length,
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
