import { expect } from 'vitest';
import type { TestHarness } from './test-app.js';

/**
 * A sync runs in the background (POST /v1/upstream/sync answers 202 with the run's Location): requests
 * one, runs the worker until the run has ended, and answers the run. Throws when it failed.
 */
export async function syncAndWait(h: TestHarness, opts: { token?: string } = {}) {
  const res = await h.call('POST', '/v1/upstream/sync', undefined, opts.token ? { token: opts.token } : {});
  expect(res.status).toBe(202);
  const location = new URL(res.headers.get('location')!).pathname;
  for (let i = 0; i < 200; i++) {
    await h.worker.drain();
    const run = await (await h.call('GET', location, undefined, opts.token ? { token: opts.token } : {})).json();
    if (run.state === 'succeeded') return run;
    if (run.state === 'failed') throw new Error(`the sync failed: ${run.errors.join('; ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the sync never ended');
}

/** The summary of a background sync, as the synchronous POST answered it before (#25). */
export const syncSummary = async (h: TestHarness) => (await syncAndWait(h)).summary;
