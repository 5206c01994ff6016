import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { hasOpenOrVersionReview } from '../db/repositories/compliance-reviews.js';
import { findCustomerById, listCustomerIdsInStatuses, updateCustomer } from '../db/repositories/customers.js';
import { enqueueTask } from './enqueue-task.js';
import {
  activateScreeningListVersion,
  findActiveScreeningListVersionId,
  insertScreeningEntries,
  insertScreeningListVersion,
  listScreeningEntries,
  setScreeningListEntryCount,
} from '../db/repositories/screening-lists.js';
import type { Database, Db, StoredAddress } from '../db/schema.js';
import { runsOnServiceThread } from '../db/create-db.js';
import { splitAddresses } from '../domain/compliance/address-agreement.js';
import type { CustomerStatus } from '../domain/lifecycle.js';
import {
  buildScreeningIndex,
  screenName,
  type ScreenedCustomer,
  type ScreeningIndex,
  type ScreeningMatch,
} from '../domain/compliance/screening-index.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { openReview } from './compliance-reviews.js';
import { readScreeningCsv } from './read-screening-csv.js';

/**
 * Rows per INSERT while a list loads. Building and sending one INSERT holds the event loop: 1,000
 * rows held it up to ~180 ms on this machine, 250 rows up to ~75 ms (a 48 MB list on PostgreSQL: probes
 * within 94 ms, 17 s), 100 rows up to ~54 ms (probes within 81 ms, 20 s): the margin under the 100 ms
 * probe target is worth the slower load (`npm run bench -- upload`).
 */
const ENTRIES_PER_INSERT = 100;
/**
 * On PGlite the statement also runs on this thread: a 100-row INSERT costs ~4–5 ms of CPU there
 * (median; up to ~50–130 ms for the rare slow one), so it gets a quarter of the rows.
 */
const ENTRIES_PER_INSERT_EMBEDDED = 25;

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
 * every active customer, which indexes the stored entries. The upload is read as it arrives and
 * stored 100 rows per INSERT (25 on PGlite), handing the event loop back between batches so other requests
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
  if (actor.partner.parent_id !== null)
    return fail(problem('missing_scope', 'the screening list belongs to the root partner; a sub-partner cannot load it'));
  try {
    return await db.transaction().execute(async (trx) => {
      const version = await insertScreeningListVersion(trx, { loadedAt: deps.now, loadedBy: actor.label });
      const read = await readScreeningCsv(upload, {
        maxBytes: opts.maxBytes,
        batchSize: runsOnServiceThread(db) ? ENTRIES_PER_INSERT_EMBEDDED : ENTRIES_PER_INSERT,
        async onBatch(entries) {
          await insertScreeningEntries(trx, version.id, entries);
          await yieldToEventLoop();
        },
      });
      if (!read.ok) throw new LoadRefused(read);
      const entries = read.value.entries;
      await setScreeningListEntryCount(trx, version.id, entries);
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

let cached: { versionId: number; index: ScreeningIndex } | undefined;

/** The active list, indexed once per version per process. */
export async function activeScreeningIndex(db: Db): Promise<{ versionId: number; index: ScreeningIndex } | undefined> {
  const activeId = await findActiveScreeningListVersionId(db);
  if (activeId === undefined) return undefined;
  if (cached?.versionId === activeId) return cached;
  const rows = await listScreeningEntries(db, activeId);
  cached = {
    versionId: activeId,
    index: buildScreeningIndex(
      rows.map((r) => ({
        id: r.entry_id,
        source: r.source,
        name: r.name,
        altNames: r.alt_names,
        addresses: splitAddresses(r.addresses),
        country: r.country,
      })),
    ),
  };
  return cached;
}

export interface ScreeningOutcome {
  versionId: number | null;
  matches: ScreeningMatch[];
  /** A list is active but the customer has no name to screen (an attached org): it was not screened. */
  nameMissing: boolean;
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
 * Screens a customer against the active list. A customer without a name (an attached org whose
 * name is not known yet) is not screened at all, never on its externalId, which says nothing about
 * who the party is: the answer says so, and the caller holds it until the name arrives.
 */
export async function screenCustomer(db: Db, customer: ScreenableCustomer, threshold: number): Promise<ScreeningOutcome> {
  const active = await activeScreeningIndex(db);
  if (!active) return { versionId: null, matches: [], nameMissing: false };
  const name = customer.name?.trim();
  if (!name) return { versionId: active.versionId, matches: [], nameMissing: true };
  return {
    versionId: active.versionId,
    matches: screenName(active.index, toScreened({ ...customer, name }), threshold),
    nameMissing: false,
  };
}

/**
 * After a list reload: screens every active customer against the new version. A new hit opens a
 * 30-day review and marks the customer non-compliant; customers already reviewed against this
 * version are skipped, so the task can be re-run safely after a crash.
 */
export async function rescreenCustomers(
  db: Kysely<Database>,
  versionId: number,
  threshold: number,
  deps: UseCaseDeps,
): Promise<{ screened: number; hits: number }> {
  const active = await activeScreeningIndex(db);
  if (!active || active.versionId !== versionId) return { screened: 0, hits: 0 };
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
        const matches = screenName(active.index, toScreened({ ...customer, name }), threshold);
        if (!matches.length) continue;
        if (await hasOpenOrVersionReview(trx, id, versionId)) continue;
        hits += 1;
        // The 30 days run from the first unresolved hit, not from this one.
        const flagged = await updateCustomer(trx, id, { non_compliant_since: customer.non_compliant_since ?? deps.now });
        await openReview(trx, flagged, 'list_reload', matches, versionId, deps);
      }
    });
  }
  return { screened: screenedCount, hits };
}
