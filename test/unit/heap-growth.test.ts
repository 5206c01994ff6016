import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const WORKLOAD = fileURLToPath(new URL('../fixtures/heap-growth/promote-and-drop.ts', import.meta.url));

/**
 * The largest heap a full collection found, against what it left, over one run of the workload: how far
 * the heap grew past what survived before V8 collected it. From `--trace-gc` lines such as
 * `Mark-Compact 313.0 (344.5) -> 67.7 (80.1) MB`.
 */
async function heapGrowthOver(percent: number): Promise<{ collections: number; worst: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--trace-gc', WORKLOAD, String(percent)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout).toContain('kept 100000');
  const collections = [...stdout.matchAll(/Mark-Compact(?: \([^)]*\))? ([\d.]+) \([\d.]+\) -> ([\d.]+)/g)].map((m) => ({
    before: Number(m[1]),
    after: Number(m[2]),
  }));
  // The first collections run while the live set is still being built: they say nothing about growth.
  const steady = collections.filter((c) => c.after >= 30);
  return { collections: steady.length, worst: Math.max(...steady.map((c) => c.before / c.after)) };
}

describe('HEAP_GROWING_PERCENT (src/platform/heap-growth.ts)', () => {
  it('makes V8 collect the old generation before it grows past 2.5× what survived, where its own choice lets it grow further', async () => {
    const [own, fifty] = await Promise.all([heapGrowthOver(0), heapGrowthOver(50)]);
    expect(own.collections).toBeGreaterThan(0);
    expect(fifty.collections).toBeGreaterThan(own.collections);
    expect(fifty.worst).toBeLessThan(2.5);
    expect(own.worst).toBeGreaterThan(fifty.worst);
  });
});
