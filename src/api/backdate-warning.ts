import type { Context } from 'hono';
import { upstreamBackdateNote } from '../domain/lifecycle.js';
import type { AppDeps, AppEnv } from './app-env.js';

/**
 * Upstream mode: a back-dated change is accepted, with a `Warning` header (299) saying that Webex bills
 * from the real time and the difference will show in reconciliation.
 */
export function warnIfBackdatedUpstream(c: Context<AppEnv>, deps: AppDeps, requested: string | undefined): void {
  if (!deps.upstream) return;
  const note = upstreamBackdateNote(requested, deps.clock.now());
  if (note) c.header('Warning', `299 wholesale-desk "${note.replaceAll('"', "'")}"`);
}
