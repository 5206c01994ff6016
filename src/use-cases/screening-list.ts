import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomerById, listCustomerIdsInStatuses, updateCustomer } from '../db/repositories/customers.js';
import { enqueueTask } from './enqueue-task.js';
import {
  closeReview,
  hasOpenOrVersionReview,
  listCustomersWithOpenReviewOfKind,
  lockOpenReviewOfCustomer,
} from '../db/repositories/compliance-reviews.js';
import {
  activateScreeningListVersion,
  findActiveScreeningList,
  findLastIndexedEntryId,
  findScreeningCandidates,
  insertScreeningEntries,
  insertScreeningListVersion,
  insertScreeningNames,
  listScreeningEntriesAfter,
  markScreeningNamesIndexed,
  pruneScreeningNames,
  setScreeningListEntryCount,
} from '../db/repositories/screening-lists.js';
import type { Database, Db, StoredAddress } from '../db/schema.js';
import { splitAddresses } from '../domain/compliance/address-agreement.js';
import type { CustomerStatus } from '../domain/lifecycle.js';
import { normalizeName } from '../domain/compliance/normalize-name.js';
import {
  candidateSimilarityFloor,
  scoreScreeningCandidates,
  screeningNamesOf,
  type ScreenedCustomer,
  type ScreeningMatch,
} from '../domain/compliance/screening-index.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { openReview } from './compliance-reviews.js';
import { moveCustomer } from './move-customer.js';
import { readScreeningCsv } from './read-screening-csv.js';

/**
 * Rows per INSERT while a list loads. Building and sending one INSERT holds the event loop: 1,000
 * rows held it up to ~180 ms on this machine, 250 rows up to ~75 ms (a 48 MB list on PostgreSQL: probes
 * within 94 ms, 17 s), 100 rows up to ~54 ms (probes within 81 ms, 20 s): the margin under the 100 ms
 * probe target is worth the slower load (`npm run bench -- upload`).
 */
const ENTRIES_PER_INSERT = 100;

/** Thrown inside the load's transaction to roll it back with the problems found. */
class LoadRefused extends Error {
  constructor(readonly problems: ReturnType<typeof fail>) {
    super('screening list refused');
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Streams a new list version in and makes it active, in one transaction (the old one stays active
 * until then, and a bad or over-size file leaves nothing behind), then queues the re-screening of
 * every active customer and the release of every customer held for want of a list. Each entry's names
 * go in normalised beside it, and pg_trgm's GIN index takes them as they arrive: the list is ready
 * to screen against the moment it is active, in every instance, with nothing built in memory. The upload is read as it arrives and
 * stored 100 rows per INSERT, handing the event loop back between batches so other requests
 * (health probes included) are answered during a big load.
 */
export async function loadScreeningList(
  db: Kysely<Database>,
  actor: Actor,
  upload: AsyncIterable<Uint8Array>,
  deps: UseCaseDeps,
  opts: { maxBytes: number },
): Promise<Result<{ versionId: number; entries: number }>> {
  // Every tenant is screened against this list: only the root partner may replace it.
  if (actor.partner.parentId !== null)
    return fail(problem('missing_scope', 'the screening list belongs to the root partner; a sub-partner cannot load it'));
  try {
    return await db.transaction().execute(async (trx) => {
      const version = await insertScreeningListVersion(trx, { loadedAt: deps.now, loadedBy: actor.label });
      const read = await readScreeningCsv(upload, {
        maxBytes: opts.maxBytes,
        batchSize: ENTRIES_PER_INSERT,
        async onBatch(entries) {
          await insertScreeningEntries(trx, version.id, entries);
          await yieldToEventLoop();
          await insertScreeningNames(trx, version.id, namesOf(entries));
          await yieldToEventLoop();
        },
      });
      if (!read.ok) throw new LoadRefused(read);
      const entries = read.value.entries;
      await setScreeningListEntryCount(trx, version.id, entries);
      await markScreeningNamesIndexed(trx, version.id);
      await activateScreeningListVersion(trx, version.id);
      await enqueueTask(trx, { kind: 'compliance.rescreen', entityId: String(version.id), now: deps.now });
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: 'screening_list.load',
        entityType: 'screening_list',
        entityId: String(version.id),
        after: { entries },
      });
      return ok({ versionId: version.id, entries });
    });
  } catch (error) {
    if (error instanceof LoadRefused) return error.problems;
    throw error;
  }
}

/** Customers whose org exists: the ones a new list version is checked against. */
const RESCREENED: readonly CustomerStatus[] = ['provisioned', 'provisioned_with_errors', 'updating'];

const namesOf = (entries: readonly { id: string; name: string; altNames: readonly string[] }[]) =>
  entries.flatMap((e) => screeningNamesOf(e).map((n) => ({ entryId: e.id, ...n })));

/**
 * Whether a customer can be screened now: `none` when no list is loaded, `indexing` while the
 * active version's names are still going into the index (a version loaded before screening moved
 * into the database), `ready` otherwise.
 */
export type ScreeningAvailability = { state: 'none' } | { state: 'indexing' | 'ready'; versionId: number; loadedAt: Date; entries: number };

export async function screeningAvailability(db: Db): Promise<ScreeningAvailability> {
  const active = await findActiveScreeningList(db);
  if (!active) return { state: 'none' };
  return {
    state: active.names_indexed ? 'ready' : 'indexing',
    versionId: active.id,
    loadedAt: new Date(active.loaded_at),
    entries: active.entry_count,
  };
}

export interface ScreeningOutcome {
  versionId: number | null;
  matches: ScreeningMatch[];
  /** A list is active but the customer has no name to screen (an attached org): it was not screened. */
  nameMissing: boolean;
  /** Not screened: no list is loaded (`no_list`), or the active one is still being indexed (`indexing`). */
  unavailable?: 'no_list' | 'indexing';
}

interface ScreenableCustomer {
  name: string | null;
  org_country: string;
  address: StoredAddress;
}

/** What the list is compared with: the name, the org's country and the billing address. */
const toScreened = (customer: ScreenableCustomer & { name: string }): ScreenedCustomer => ({
  name: customer.name,
  country: customer.org_country,
  address: { addressLine1: customer.address.addressLine1, city: customer.address.city },
});

/**
 * The list entries a customer may be: pg_trgm finds the names near its name through the GIN index
 * (a bound no name the desk would accept can fall under), then the desk's own rule scores them.
 */
export async function matchAgainstList(
  db: Db,
  versionId: number,
  customer: ScreenedCustomer,
  threshold: number,
): Promise<ScreeningMatch[]> {
  const normalized = normalizeName(customer.name);
  if (!normalized) return [];
  const rows = await findScreeningCandidates(db, {
    versionId,
    normalized,
    similarity: candidateSimilarityFloor(customer, threshold),
    country: customer.country,
  });
  return scoreScreeningCandidates(
    customer,
    rows.map((r) => ({
      entry: { id: r.entry_id, source: r.source, name: r.name, altNames: [], country: r.country, addresses: splitAddresses(r.addresses) },
      name: r.name,
      normalized: r.normalized,
    })),
    threshold,
  );
}

/**
 * Screens a customer against the active list. A customer without a name (an attached org whose
 * name is not known yet) is not screened at all, never on its externalId, which says nothing about
 * who the party is: the answer says so, and the caller holds it until the name arrives. Without a
 * list ready to screen against, the answer says why (the caller holds the customer or, when the SP
 * allows it, lets it through marked unscreened).
 */
export async function screenCustomer(db: Db, customer: ScreenableCustomer, threshold: number): Promise<ScreeningOutcome> {
  const list = await screeningAvailability(db);
  if (list.state === 'none') return { versionId: null, matches: [], nameMissing: false, unavailable: 'no_list' };
  if (list.state === 'indexing') return { versionId: list.versionId, matches: [], nameMissing: false, unavailable: 'indexing' };
  const name = customer.name?.trim();
  if (!name) return { versionId: list.versionId, matches: [], nameMissing: true };
  return {
    versionId: list.versionId,
    matches: await matchAgainstList(db, list.versionId, toScreened({ ...customer, name }), threshold),
    nameMissing: false,
  };
}

/** Entries per batch while a version loaded before screening moved into the database is indexed. */
const INDEX_BATCH = 200;
/** Old versions' names removed per statement. */
const PRUNE_BATCH = 1_000;

/**
 * Puts a version's names into the index in small committed batches (resuming after the last entry
 * indexed, so a crash loses nothing), then marks it ready. Customers arriving meanwhile are held.
 */
async function indexVersionNames(db: Kysely<Database>, versionId: number): Promise<void> {
  const size = INDEX_BATCH;
  let after = (await findLastIndexedEntryId(db, versionId)) ?? '';
  for (;;) {
    const entries = await listScreeningEntriesAfter(db, versionId, after, size);
    if (entries.length === 0) break;
    after = entries[entries.length - 1]!.entry_id;
    await insertScreeningNames(db, versionId, namesOf(entries.map((e) => ({ id: e.entry_id, name: e.name, altNames: e.alt_names }))));
    await yieldToEventLoop();
  }
  await markScreeningNamesIndexed(db, versionId);
}

/**
 * After a list load: makes the version ready to screen against (indexing it first if it was loaded
 * before screening moved into the database), drops older versions' names from the index, releases
 * every customer held because no list was loaded (each goes back to provisioning and is screened
 * there, so a hit or a missing name is held as at any onboarding), then screens every active
 * customer against the new version. A new hit opens a 30-day review and marks the customer
 * non-compliant; customers already reviewed against this version are skipped, so the task can be
 * re-run safely after a crash. A customer provisioned unscreened is marked screened once it is.
 */
export async function rescreenCustomers(
  db: Kysely<Database>,
  versionId: number,
  threshold: number,
  deps: UseCaseDeps,
): Promise<{ screened: number; hits: number; released: number }> {
  const list = await screeningAvailability(db);
  if (list.state === 'none' || list.versionId !== versionId) return { screened: 0, hits: 0, released: 0 };
  if (list.state === 'indexing') await indexVersionNames(db, versionId);
  while ((await pruneScreeningNames(db, versionId, PRUNE_BATCH)) > 0) await yieldToEventLoop();
  const released = await releaseListHolds(db, versionId, deps);
  let screenedCount = 0;
  let hits = 0;
  let after = '';
  for (;;) {
    const batch = await listCustomerIdsInStatuses(db, RESCREENED, after, 500);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!;
    await db.transaction().execute(async (trx) => {
      for (const id of batch) {
        const customer = await findCustomerById(trx, id, { forUpdate: true });
        if (!customer || !RESCREENED.includes(customer.status)) continue;
        const name = customer.name?.trim();
        if (!name) {
          // Never screened on its externalId: it is screened once its name is given (PUT customerInfo.name).
          await appendAudit(trx, {
            at: deps.now,
            partnerId: customer.partner_id,
            actor: 'system:screening',
            action: 'screening.name_missing',
            entityType: 'customer',
            entityId: id,
            context: { trigger: 'list_reload', listVersion: versionId },
          });
          continue;
        }
        screenedCount += 1;
        const matches = await matchAgainstList(trx, versionId, toScreened({ ...customer, name }), threshold);
        if (customer.unscreened_since) {
          await updateCustomer(trx, id, { unscreened_since: null });
          await appendAudit(trx, {
            at: deps.now,
            partnerId: customer.partner_id,
            actor: 'system:screening',
            action: matches.length ? 'screening.hit' : 'screening.clear',
            entityType: 'customer',
            entityId: id,
            context: { trigger: 'list_reload', listVersion: versionId, matches, unscreenedSince: customer.unscreened_since.toISOString() },
          });
        }
        if (!matches.length) continue;
        if (await hasOpenOrVersionReview(trx, id, versionId)) continue;
        hits += 1;
        // The 30 days run from the first unresolved hit, not from this one.
        const flagged = await updateCustomer(trx, id, { non_compliant_since: customer.non_compliant_since ?? deps.now });
        await openReview(trx, flagged, 'list_reload', matches, versionId, deps);
      }
    });
  }
  return { screened: screenedCount, hits, released };
}

/**
 * Every customer held because no list was loaded (or it was being indexed) goes back to provisioning,
 * its `no_list` review closed: the provisioning task screens it against the list now loaded. Billing
 * starts when it is provisioned, not at its creation (it waited on the SP's list, not on its order).
 */
async function releaseListHolds(db: Kysely<Database>, versionId: number, deps: UseCaseDeps): Promise<number> {
  let released = 0;
  let after = '';
  for (;;) {
    const batch = await listCustomersWithOpenReviewOfKind(db, 'no_list', after, 200);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!;
    await db.transaction().execute(async (trx) => {
      for (const id of batch) {
        const customer = await findCustomerById(trx, id, { forUpdate: true });
        const review = await lockOpenReviewOfCustomer(trx, id);
        if (!customer || review?.kind !== 'no_list' || customer.status !== 'pending_rpl_review') continue;
        await closeReview(trx, review.id, {
          status: 'approved',
          by: 'system:screening',
          reason: `screening list version ${versionId} loaded; the customer is screened against it before anything is provisioned`,
          at: deps.now,
        });
        await moveCustomer(trx, customer, { to: 'provisioning', audit: null }, deps);
        await enqueueTask(trx, {
          kind: 'customer.provision',
          entityId: id,
          payload: { releasedAt: deps.now.toISOString() },
          now: deps.now,
        });
        await appendAudit(trx, {
          at: deps.now,
          partnerId: customer.partner_id,
          actor: 'system:screening',
          action: 'compliance.list_hold_released',
          entityType: 'compliance_review',
          entityId: review.id,
          context: { customerId: id, listVersion: versionId },
        });
        released += 1;
      }
    });
  }
  return released;
}

/** Where screening stands, for /readyz, the dashboard and the digest: the list, the rule, and what needs doing. */
export interface ScreeningState {
  list: 'none' | 'indexing' | 'loaded';
  listVersion: number | null;
  loadedAt: string | null;
  entries: number | null;
  /** SCREENING_REQUIRED: without a list, new customers wait (true) or go through unscreened (false). */
  required: boolean;
  /** What needs doing, when something does; null when screening runs as it should. */
  warning: string | null;
}

export async function describeScreening(db: Db, required: boolean): Promise<ScreeningState> {
  const list = await screeningAvailability(db);
  const loaded = list.state === 'none' ? null : list;
  const warning =
    list.state === 'none'
      ? required
        ? 'no screening list loaded: new customers wait in pending_rpl_review until the root partner loads one (POST /v1/compliance/screening-list)'
        : 'no screening list loaded: new customers are provisioned without restricted-party screening (SCREENING_REQUIRED=false) until the root partner loads one (POST /v1/compliance/screening-list)'
      : list.state === 'indexing'
        ? 'the screening list is being indexed: new customers wait until it is ready'
        : null;
  return {
    list: list.state === 'ready' ? 'loaded' : list.state,
    listVersion: loaded?.versionId ?? null,
    loadedAt: loaded ? loaded.loadedAt.toISOString() : null,
    entries: loaded?.entries ?? null,
    required,
    warning,
  };
}
