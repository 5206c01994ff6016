import { appendAudit } from '../db/repositories/audit-log.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';
import { findPartnerById } from '../db/repositories/partners.js';
import {
  claimSync,
  findActiveSync,
  findLatestSync,
  findSync,
  finishSync,
  insertSyncRequest,
  writeSyncProgress,
} from '../db/repositories/upstream-syncs.js';
import type { UpstreamSyncsTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { syncRunSchema } from '../contracts/upstream-sync.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { UpstreamError, type WebexWholesalePort } from '../ports.js';
import { tokenRefused } from '../domain/upstream-health.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { enqueueTask } from './enqueue-task.js';
import type { TaskOutcome } from './provisioning-tasks.js';
import type { Store } from './store.js';
import { standaloneProblem } from './upstream-sync-helpers.js';
import { type SyncProgress, syncWithWebex } from './sync-with-webex.js';
import { toActingPartner } from './partner-views.js';

/*
 * A sync is background work (#25): `POST /v1/upstream/sync` (or chat `sync`) records a run and queues
 * an `upstream.sync` task; the task reads Webex page by page and writes its progress to the run as it
 * goes, so the API, chat and the console's Upstream page can show how far it has got. One run at a time
 * per partner across instances: a second request joins the queued or running one (a unique index), and
 * the task claims its run (a runner that stopped writing progress for SYNC_STALE_MS may be taken over).
 */

export type SyncRun = Selectable<UpstreamSyncsTable>;

/** Silent this long (no progress written; the import transaction of a large partner writes none), a runner is taken for dead. */
const SYNC_STALE_MS = 10 * 60_000;
/** Progress is written at most this often. */
const PROGRESS_EVERY_MS = 1_000;

/** Queues a sync of the actor's partner, or answers the one already queued or running (`created: false`). */
export async function requestSync(
  db: Store,
  upstream: WebexWholesalePort | undefined,
  actor: Actor,
  deps: UseCaseDeps,
): Promise<Result<{ run: SyncRunResponse; created: boolean }>> {
  if (!upstream) return fail(standaloneProblem());
  const active = await findActiveSync(db, actor.partner.id);
  if (active) return ok({ run: toSyncRunResponse(active), created: false });
  try {
    const run = await db.transaction().execute(async (trx) => {
      const row = await insertSyncRequest(trx, { id: deps.uuid(), partnerId: actor.partner.id, requestedBy: actor.label, at: deps.now });
      await enqueueTask(trx, { kind: 'upstream.sync', entityId: row.id, now: deps.now });
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: 'upstream.sync.requested',
        entityType: 'partner',
        entityId: actor.partner.id,
        context: { syncId: row.id },
      });
      return row;
    });
    return ok({ run: toSyncRunResponse(run), created: true });
  } catch (error) {
    // Another request queued one between the look and the insert: join it.
    if (!isUniqueViolation(error)) throw error;
    const joined = await findActiveSync(db, actor.partner.id);
    if (joined) return ok({ run: toSyncRunResponse(joined), created: false });
    throw error;
  }
}

export async function getSyncRun(db: Store, actor: Actor, id: string): Promise<Result<SyncRunResponse>> {
  const run = await findSync(db, id, actor.partner.id);
  return run ? ok(toSyncRunResponse(run)) : fail(problem('sync_not_found', `no sync run ${id}`, 'id'));
}

/** The partner's latest requested run (chat and the console show its progress). */
export async function getLatestSyncRun(db: Store, actor: Actor): Promise<SyncRunResponse | undefined> {
  const run = await findLatestSync(db, actor.partner.id);
  return run && toSyncRunResponse(run);
}

/** The `upstream.sync` task: claims the run, syncs with progress, records how it ended. */
export async function runSyncTask(
  db: Store,
  id: string,
  deps: UseCaseDeps & { upstream?: WebexWholesalePort | undefined },
): Promise<TaskOutcome> {
  const started = performance.now();
  // The task's clock is read once when it is claimed; progress carries the time elapsed since.
  const at = () => new Date(deps.now.getTime() + Math.round(performance.now() - started));
  const claimed = await claimSync(db, id, deps.now, new Date(deps.now.getTime() - SYNC_STALE_MS));
  if (!claimed) {
    const run = await findSync(db, id);
    return run && (run.state === 'queued' || run.state === 'running') ? 'wait' : 'done';
  }
  const partner = await findPartnerById(db, claimed.partner_id);
  if (!partner) {
    await finishSync(db, id, { state: 'failed', at: at(), errors: ['the partner no longer exists'] });
    return 'done';
  }
  let last: SyncProgress | undefined;
  let writtenAt = 0;
  const onProgress = async (p: SyncProgress) => {
    last = p;
    if (performance.now() - writtenAt < PROGRESS_EVERY_MS) return;
    writtenAt = performance.now();
    await writeSyncProgress(db, id, { ...p }, at());
  };
  try {
    const r = await syncWithWebex(
      db,
      deps.upstream,
      { partner: toActingPartner(partner), label: claimed.requested_by },
      { ...deps, now: deps.now },
      { onProgress },
    );
    if (!r.ok) {
      await finishSync(db, id, { state: 'failed', at: at(), errors: r.problems.map((p) => p.message) });
      return 'done';
    }
    await finishSync(db, id, { state: 'succeeded', at: at(), summary: r.value, ...(last ? { progress: { ...last } } : {}) });
  } catch (error) {
    if (!(error instanceof UpstreamError)) {
      await finishSync(db, id, { state: 'failed', at: at(), errors: [`the sync stopped: ${(error as Error).message}`] }).catch(() => {});
      throw error;
    }
    await finishSync(db, id, {
      state: 'failed',
      at: at(),
      errors: [
        error.kind === 'unauthorized'
          ? `${tokenRefused(deps.upstream?.status().auth, error.details.status)}, then sync again; nothing was changed`
          : `Webex did not answer usably: ${error.message}; nothing was changed, sync again`,
      ],
      ...(last ? { progress: { ...last } } : {}),
    });
  }
  return 'done';
}

/** A run as the API answers it (GET /v1/upstream/syncs/{id}). */
/** A run as the API answers it (syncRunSchema). */
export type SyncRunResponse = z.infer<typeof syncRunSchema>;

const toSyncRunResponse = (r: SyncRun): SyncRunResponse => ({
  id: r.id,
  state: r.state,
  requestedBy: r.requested_by,
  requested: r.requested_at.toISOString(),
  started: r.started_at?.toISOString() ?? null,
  finished: r.finished_at?.toISOString() ?? null,
  progress: {
    pagesRead: r.progress.pagesRead ?? 0,
    customersSeen: r.progress.customersSeen ?? 0,
    subscribersSeen: r.progress.subscribersSeen ?? 0,
    orgNamesRead: r.progress.orgNamesRead ?? 0,
    customersImported: r.progress.customersImported ?? 0,
    subscribersImported: r.progress.subscribersImported ?? 0,
    driftFound: r.progress.driftFound ?? 0,
  },
  summary: r.summary,
  errors: r.errors,
});

/** One line on a run, for chat and logs. */
export function describeSyncRun(r: SyncRunResponse): string {
  const p = r.progress;
  const seen = `${p.pagesRead} pages read: ${p.customersSeen} customers and ${p.subscribersSeen} subscribers seen`;
  switch (r.state) {
    case 'queued':
      return `Sync ${r.id.slice(0, 8)} is queued (requested by ${r.requestedBy}).`;
    case 'running':
      return `Sync ${r.id.slice(0, 8)} is running: ${seen}${p.orgNamesRead ? `, ${p.orgNamesRead} org names read` : ''}.`;
    case 'succeeded':
      return `Sync ${r.id.slice(0, 8)} finished: ${seen}; imported ${p.customersImported} customers and ${p.subscribersImported} subscribers; ${p.driftFound} drift items found.`;
    default:
      return `Sync ${r.id.slice(0, 8)} failed: ${r.errors.join('; ') || 'no reason recorded'}.`;
  }
}
