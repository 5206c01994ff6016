/**
 * Runs tasks one after another per key (a Webex space), in the order they were added; different
 * keys run side by side. A failed task does not stop the ones after it.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(task);
      const settled = next.catch(() => undefined);
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return next;
    },
    /** Resolves when every key's tasks are done. */
    async idle(): Promise<void> {
      while (tails.size) await Promise.all([...tails.values()]);
    },
  };
}
