import { setFlagsFromString } from 'node:v8';

/**
 * Sets how far V8 lets the heap grow past what survived its last full collection before it collects
 * again (`--heap-growing-percent`): V8 reads it at every full collection, so setting it once the process
 * runs holds from the next one on, however the service was started (`npm start`, a unit file, a
 * container's own command line). 0 leaves V8's own choice, which goes up to 300% on a machine with memory
 * to spare. HEAP_GROWING_PERCENT in docs/configuration.md.
 */
export function applyHeapGrowingPercent(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
