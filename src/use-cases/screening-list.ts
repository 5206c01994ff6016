import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { hasOpenOrVersionReview } from '../db/repositories/compliance-reviews.js';
import { findCustomerById, listCustomerIdsInStatuses, updateCustomer } from '../db/repositories/customers.js';
import { enqueueTask } from './enqueue-task.js';
import {
  activateScreeningListVersion,
  findActiveScreeningListVersionId,
  insertScreeningListVersion,
  listScreeningEntries,
} from '../db/repositories/screening-lists.js';
import type { Database, Db } from '../db/schema.js';
import type { CustomerStatus } from '../domain/lifecycle.js';
import { isCountryCode } from '../domain/address.js';
import {
  buildScreeningIndex,
  screenName,
  type ScreeningEntry,
  type ScreeningIndex,
  type ScreeningMatch,
} from '../domain/compliance/screening-index.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { openReview } from './compliance-reviews.js';

const REQUIRED_COLUMNS = ['_id', 'source', 'name', 'alt_names', 'addresses', 'country'] as const;
const MAX_REPORTED = 50;

/**
 * Reads a list in the Consolidated Screening List's column naming (any column order, extra columns
 * ignored, UTF-8). Every row is checked; problems name their line. All or nothing.
 */
export function parseScreeningCsv(bytes: Uint8Array): Result<(ScreeningEntry & { addresses: string })[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(
      problem('screening_list_invalid', `line ${firstBadUtf8Line(bytes)}: the file is not UTF-8; save it as UTF-8 and upload it again`),
    );
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return fail(
      problem('screening_list_invalid', `${line ? `line ${line}: ` : ''}${error instanceof Error ? error.message : String(error)}`),
    );
  }
  const header = records[0] ? Object.keys(records[0].record) : (text.split(/\r?\n/)[0] ?? '').split(',').map((c) => c.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    return fail(
      problem('screening_list_invalid', `line 1: missing column(s) ${missing.join(', ')}; the header needs ${REQUIRED_COLUMNS.join(', ')}`),
    );
  if (records.length === 0) return fail(problem('screening_list_invalid', 'the list has no entries'));

  const problems: Problem[] = [];
  const seen = new Set<string>();
  const entries: (ScreeningEntry & { addresses: string })[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const bad = (message: string) =>
      problems.length < MAX_REPORTED && problems.push(problem('screening_list_invalid', `line ${line}: ${message}`));
    const id = record._id ?? '';
    const name = record.name ?? '';
    const country = (record.country ?? '').toUpperCase();
    if (!id) bad('_id is empty');
    else if (seen.has(id)) bad(`_id ${id} appears twice`);
    if (!name) bad('name is empty');
    if (country && !isCountryCode(country))
      bad(`country "${record.country}" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)`);
    seen.add(id);
    entries.push({
      id,
      source: record.source ?? '',
      name,
      addresses: record.addresses ?? '',
      altNames: (record.alt_names ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      country: country || null,
    });
  }
  return problems.length ? fail(...problems) : ok(entries);
}

function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i += 1) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line += 1;
      start = i + 1;
    }
  }
  return line;
}

/**
 * Stores a new list version and makes it active in one transaction (the old one stays active until
 * then), then queues the re-screening of every active customer.
 */
export async function loadScreeningList(
  db: Kysely<Database>,
  actor: Actor,
  bytes: Uint8Array,
  deps: UseCaseDeps,
): Promise<Result<{ versionId: number; entries: number }>> {
  // Every tenant is screened against this list: only the root partner may replace it.
  if (actor.partner.parent_id !== null)
    return fail(problem('missing_scope', 'the screening list belongs to the root partner; a sub-partner cannot load it'));
  const parsed = parseScreeningCsv(bytes);
  if (!parsed.ok) return parsed;
  const entries = parsed.value;
  const versionId = await db.transaction().execute(async (trx) => {
    const version = await insertScreeningListVersion(trx, { loadedAt: deps.now, loadedBy: actor.label, entries });
    await activateScreeningListVersion(trx, version.id);
    await enqueueTask(trx, { kind: 'compliance.rescreen', entityId: String(version.id), now: deps.now });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'screening_list.load',
      entityType: 'screening_list',
      entityId: String(version.id),
      after: { entries: entries.length },
    });
    return version.id;
  });
  return ok({ versionId, entries: entries.length });
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
      rows.map((r) => ({ id: r.entry_id, source: r.source, name: r.name, altNames: r.alt_names, country: r.country })),
    ),
  };
  return cached;
}

export interface ScreeningOutcome {
  versionId: number | null;
  matches: ScreeningMatch[];
}

export async function screenCustomer(
  db: Db,
  customer: { name: string | null; external_id: string; org_country: string },
  threshold: number,
): Promise<ScreeningOutcome> {
  const active = await activeScreeningIndex(db);
  if (!active) return { versionId: null, matches: [] };
  return {
    versionId: active.versionId,
    matches: screenName(active.index, { name: customer.name ?? customer.external_id, country: customer.org_country }, threshold),
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
  let screened = 0;
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
        screened += 1;
        const matches = screenName(active.index, { name: customer.name ?? customer.external_id, country: customer.org_country }, threshold);
        if (!matches.length) continue;
        if (await hasOpenOrVersionReview(trx, id, versionId)) continue;
        hits += 1;
        const flagged = await updateCustomer(trx, id, { non_compliant_since: deps.now });
        await openReview(trx, flagged, 'list_reload', matches, versionId, deps);
      }
    });
  }
  return { screened, hits };
}
