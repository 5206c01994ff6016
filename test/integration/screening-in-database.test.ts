import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTask } from '../../src/use-cases/enqueue-task.js';
import type { KyselyPlugin } from 'kysely';
import {
  activateScreeningListVersion,
  insertScreeningEntries,
  insertScreeningListVersion,
  insertScreeningNames,
  setScreeningListEntryCount,
} from '../../src/db/repositories/screening-lists.js';
import { splitAddresses } from '../../src/domain/compliance/address-agreement.js';
import { evaluateScreening, type LabelledPair } from '../../src/domain/compliance/evaluate-screening.js';
import { DEFAULT_SCREENING_THRESHOLD } from '../../src/domain/compliance/review-rules.js';
import { buildScreeningIndex, screenName } from '../../src/domain/compliance/screening-index.js';
import { matchAgainstList, screeningAvailability } from '../../src/use-cases/screening-list.js';
import { customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const LIST_CSV = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));
const rows = parse(LIST_CSV, { columns: true }) as Record<string, string>[];
const ENTRIES = rows.map((r) => ({
  id: r._id!,
  source: r.source!,
  name: r.name!,
  altNames: r.alt_names ? r.alt_names.split(';') : [],
  country: r.country || null,
  addresses: splitAddresses(r.addresses ?? ''),
}));
const PAIRS: LabelledPair[] = JSON.parse(readFileSync(new URL('../fixtures/screening-pairs.json', import.meta.url), 'utf8'));

describe(`screening in the database on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z', screeningList: false });
  });
  afterAll(() => h.close());

  it('finds exactly what the in-memory index finds on every labelled pair, so precision and recall stay as they were', async () => {
    const res = await h.app.request('/v1/compliance/screening-list', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: LIST_CSV,
    });
    expect(res.status).toBe(201);
    const list = await screeningAvailability(h.db);
    expect(list.state).toBe('ready');
    const versionId = list.state === 'ready' ? list.versionId : 0;
    const index = buildScreeningIndex(ENTRIES);
    const byName = new Map(ENTRIES.map((e) => [e.name, e.id]));
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const pair of PAIRS) {
      const customer = { name: pair.customer, country: pair.customerCountry, address: pair.customerAddress };
      const inDatabase = await matchAgainstList(h.db, versionId, customer, DEFAULT_SCREENING_THRESHOLD);
      const inMemory = screenName(index, customer, DEFAULT_SCREENING_THRESHOLD);
      expect(new Set(inDatabase.map((m) => `${m.entryId} ${m.score}`)), pair.customer).toEqual(
        new Set(inMemory.map((m) => `${m.entryId} ${m.score}`)),
      );
      const hit = inDatabase.some((m) => m.entryId === byName.get(pair.listName));
      if (hit && pair.same) tp += 1;
      else if (hit && !pair.same) fp += 1;
      else if (!hit && pair.same) fn += 1;
    }
    const before = evaluateScreening(ENTRIES, PAIRS, DEFAULT_SCREENING_THRESHOLD);
    expect({ tp, fp, fn }).toEqual({ tp: before.truePositives, fp: before.falsePositives, fn: before.falseNegatives });
    console.log(
      `screening quality at ${DEFAULT_SCREENING_THRESHOLD} on ${PAIRS.length} pairs (${testDbKind()}): in memory ${before.precision.toFixed(3)} / ${before.recall.toFixed(3)}, ` +
        `in the database ${(tp / (tp + fp)).toFixed(3)} / ${(tp / (tp + fn)).toFixed(3)}`,
    );
  });

  it('a list loaded before screening moved into the database is indexed by a task; a customer arriving meanwhile waits visibly, then is screened', async () => {
    // As the migration leaves such a version: entries stored, no names indexed, a re-screening task queued.
    const version = await insertScreeningListVersion(h.db, { loadedAt: h.clock.now(), loadedBy: 'before-migration' });
    await insertScreeningEntries(
      h.db,
      version.id,
      ENTRIES.map((e) => ({ ...e, addresses: e.addresses.join('; ') })),
    );
    await setScreeningListEntryCount(h.db, version.id, ENTRIES.length);
    await h.db.transaction().execute(async (trx) => {
      await activateScreeningListVersion(trx, version.id);
    });
    expect((await screeningAvailability(h.db)).state).toBe('indexing');
    const templateId = await defaultTemplateId(h);
    const created = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: 'legacy-1',
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        customerInfo: { name: 'Orion Maritime Trading LLC', primaryEmail: 'legacy@sid.example' },
        address: { addressLine1: '1 Harbour Road', city: 'Somewhere', country: 'AE' },
      }),
    );
    expect(created.status).toBe(202);
    const id = decodeURIComponent(new URL(created.headers.get('location')!).pathname.split('/').pop()!);
    await h.worker.drain();
    const reviews = async () =>
      (await (await h.call('GET', `/v1/compliance/reviews?customerId=${encodeURIComponent(id)}`)).json()).items as Body[];
    expect(((await (await h.call('GET', `/v1/wholesale/customers/${id}`)).json()) as Body).status).toBe('pending_rpl_review');
    expect((await reviews())[0]).toMatchObject({ kind: 'no_list', reason: expect.stringMatching(/^the screening list is being indexed/) });
    expect(((await (await h.call('GET', '/readyz')).json()) as Body).screening).toMatchObject({ list: 'indexing' });

    await h.db
      .transaction()
      .execute((trx) => enqueueTask(trx, { kind: 'compliance.rescreen', entityId: String(version.id), now: h.clock.now() }));
    await h.worker.drain();
    expect((await screeningAvailability(h.db)).state).toBe('ready');
    // Older versions' names left the index.
    const other = await h.db.selectFrom('screening_names').select('version_id').where('version_id', '<>', version.id).execute();
    expect(other).toEqual([]);
    expect((await reviews()).map((r) => [r.kind, r.status])).toEqual(
      expect.arrayContaining([
        ['no_list', 'approved'],
        ['onboarding', 'open'],
      ]),
    );
  });

  it('stores a batch of entries and names in one statement each, with a parameter per column, not per value, every field as read', async () => {
    // 250 rows: seven parameters each would be 1,750 in the entries' INSERT (pg builds an array and a
    // message of them per batch; the load's allocations followed that count).
    const tricky = ['Zoë "Quoted" \\ Back', 'Ünïcode, comma', '{braces} and NULL', "O'Brien\ttab", '株式会社 東京'];
    const entries = Array.from({ length: 250 }, (_, i) => ({
      id: `t-${String(i).padStart(3, '0')}`,
      source: i % 2 ? 'SDN' : 'Entity List (EL)',
      name: `${tricky[i % tricky.length]} ${i}`,
      altNames: i % 3 === 0 ? [] : [`Alt "${i}"`, `{${i}}`],
      addresses: i % 4 === 0 ? '' : `${i} Harbour Road, "Port" City; NULL`,
      country: i % 5 === 0 ? null : 'AE',
    }));
    const names = entries.map((e, i) => ({ entryId: e.id, name: e.name, normalized: `n ${249 - i} ${e.name.toLowerCase()}` }));
    const parameters: number[] = [];
    const counter: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        parameters.push(h.db.getExecutor().compileQuery(node, queryId).parameters.length);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const version = await insertScreeningListVersion(h.db, { loadedAt: h.clock.now(), loadedBy: 'batch-test' });
    await insertScreeningEntries(h.db.withPlugin(counter), version.id, entries);
    await insertScreeningNames(h.db.withPlugin(counter), version.id, names);
    expect(parameters.length).toBe(2);
    for (const n of parameters) expect(n).toBeLessThanOrEqual(8);

    const stored = await h.db
      .selectFrom('screening_entries')
      .select(['entry_id', 'source', 'name', 'alt_names', 'addresses', 'country'])
      .where('version_id', '=', version.id)
      .orderBy('entry_id')
      .execute();
    expect(stored).toEqual(
      entries.map((e) => ({
        entry_id: e.id,
        source: e.source,
        name: e.name,
        alt_names: e.altNames,
        addresses: e.addresses,
        country: e.country,
      })),
    );
    // Names are numbered in the batch's order (the index resumes after the last one numbered).
    const storedNames = await h.db
      .selectFrom('screening_names')
      .select(['entry_id', 'name', 'normalized'])
      .where('version_id', '=', version.id)
      .orderBy('id')
      .execute();
    expect(storedNames).toEqual(names.map((n) => ({ entry_id: n.entryId, name: n.name, normalized: n.normalized })));
  });
});
