import { countStoppedTasksOf } from '../db/repositories/tasks.js';
import { describeUpstreamHealth } from '../domain/upstream-health.js';
import type { UpstreamStatus, WebexWholesalePort } from '../ports.js';
import type { Actor } from './actor.js';
import type { Store } from './store.js';

export type UpstreamHealth = UpstreamStatus & { summary?: string; tasks?: { parked: number; failed: number } };

/**
 * The connection as this instance sees it (its token, its circuit: per process, like the token each
 * instance is configured with) with the state in words, and the partner's held and failed tasks from
 * the database (shared by every instance, and kept across restarts).
 */
export async function loadUpstreamHealth(
  db: Store,
  actor: Pick<Actor, 'partner'>,
  upstream: WebexWholesalePort | undefined,
): Promise<UpstreamHealth> {
  if (!upstream) return { mode: 'standalone' };
  const s = upstream.status();
  const tasks = await countStoppedTasksOf(db, { partnerId: actor.partner.id, isRoot: actor.partner.parentId === null });
  return { ...s, summary: summaryOf(s), tasks };
}

/** The status in words, with what to do. */
export const summaryOf = (s: UpstreamStatus): string =>
  describeUpstreamHealth({ state: s.state ?? 'ok', auth: s.auth, lastError: s.lastError, retryAt: s.circuit?.retryAt });
