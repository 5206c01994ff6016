import { pino } from 'pino';
import type { BotContext } from '../src/bot/bot-command.js';
import { handleMessage } from '../src/bot/handle-message.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { listTemplates } from '../src/db/repositories/onboarding-templates.js';
import { loadRootPartner } from '../src/use-cases/operator-admin.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { createCustomer } from '../src/use-cases/customers.js';
import { checkSubscriberImport } from '../src/use-cases/import-subscribers.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createSubscriber } from '../src/use-cases/create-subscriber.js';
import { seconds } from './bench-support.js';
import { createUseCases } from '../src/use-cases/use-cases.js';

const CUSTOMERS = 10;
const ONE_BY_ONE = 500;

/**
 * `import users` with a 10,000-row CSV through the chat pipeline (propose: every row checked; yes:
 * checked again and applied in one transaction), half calling users with extensions, customers named
 * by name on some rows and by externalId on others. Baselines from the same run: the check-only pass,
 * and adding 500 other users one by one through the API's use case (per row, scaled to the file).
 */
export async function benchImport(dbConfig: DbConfig, label: string, rows = 10_000) {
  const handle = await createDb(dbConfig);
  const { db } = handle;
  await migrateToLatest(db);
  await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const partner = (await loadRootPartner(db))!;
  const template = (await listTemplates(db, [partner.id]))[0]!;
  const actor = { partner, label: 'bench' };
  const deps = () => ({ now: new Date(), uuid: nodeIds.uuid });
  const address = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
  const customerIds: string[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const c = await createCustomer(
      db,
      actor,
      {
        provisioningId: template.id,
        externalId: `imp-${i}`,
        packages: ['webex_calling', 'webex_meetings'],
        address,
        customerInfo: { name: `Import Customer ${i}`, primaryEmail: `it@imp-${i}.example` },
        provisioningParameters: { calling: { location: { name: 'HQ', timezone: 'America/Chicago', address } } },
      },
      deps(),
    );
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    await db.updateTable('customers').set({ status: 'provisioned' }).where('id', '=', c.value.customer.id).execute();
    customerIds.push(c.value.customer.id);
  }
  const line = (i: number) => {
    const c = i % CUSTOMERS;
    const calling = i % 2 === 0;
    return `u${i}@imp-${c}.example,${i % 3 === 0 ? `Import Customer ${c}` : `imp-${c}`},${calling ? 'webex_calling' : 'webex_meetings'},User,${i},${calling ? 10_000 + i : ''}`;
  };
  const csv = `email,customer,package,first_name,last_name,extension\n${Array.from({ length: rows }, (_, i) => line(i)).join('\n')}\n`;
  const file = { name: 'bench.csv', content: new TextEncoder().encode(csv) };
  const progress: string[] = [];
  const ctx = (): BotContext => ({
    useCases: createUseCases({ db }),
    actor: { partner, label: 'staff:bench@partner.example', role: 'admin' },
    spaceId: 'bench-import',
    deps: deps(),
    files: [file],
    progress: async (m) => void progress.push(m),
    elapsedMs: () => performance.now(),
  });
  const log = pino({ level: 'silent' });

  const checkRows = Array.from({ length: rows }, (_, i) => {
    const [email, customer, pkg, firstName, lastName, extension] = line(i).split(',');
    return {
      row: i + 2,
      email: email!,
      customer: customer!,
      package: pkg!,
      firstName: firstName!,
      lastName: lastName!,
      extension: extension || undefined,
    };
  });
  let t = performance.now();
  const check = await checkSubscriberImport(db, actor, checkRows, deps());
  const checkMs = performance.now() - t;
  if (check.problems.length || check.toAdd !== rows) throw new Error(`check-only pass: ${JSON.stringify(check.problems.slice(0, 3))}`);

  t = performance.now();
  const proposed = await handleMessage(ctx(), 'import users', log);
  const proposeMs = performance.now() - t;
  if (!proposed.markdown.includes(`Import **${rows.toLocaleString('en-US')} users**`)) throw new Error(proposed.markdown);
  const applied = await handleMessage({ ...ctx(), files: [] }, 'yes', log);
  const importMs = performance.now() - t;
  if (!applied.markdown.includes(`${rows.toLocaleString('en-US')} users added`)) throw new Error(applied.markdown);
  const stored = Number(
    (
      await db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('customer_id', 'in', customerIds)
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (stored !== rows) throw new Error(`${stored} subscribers stored, ${rows} expected`);

  t = performance.now();
  for (let i = 0; i < ONE_BY_ONE; i++) {
    const r = await createSubscriber(
      db,
      actor,
      {
        customerId: customerIds[i % CUSTOMERS]!,
        email: `one${i}@imp.example`,
        packages: [i % 2 === 0 ? 'webex_calling' : 'webex_meetings'],
        provisioningParameters: { firstName: 'One', lastName: `${i}`, extension: i % 2 === 0 ? String(50_000 + i) : undefined },
      },
      deps(),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
  }
  const oneByOneMs = ((performance.now() - t) / ONE_BY_ONE) * rows;
  await handle.db.destroy();
  console.log(
    `import [${label}]: ${rows.toLocaleString('en-US')} rows through \`import users\`: ${seconds(importMs)} s (propose, every row checked: ${seconds(proposeMs)} s; ` +
      `${progress.length} progress messages); check-only pass ${seconds(checkMs)} s → import = ${(importMs / checkMs).toFixed(1)}× the check alone; ` +
      `one by one (${ONE_BY_ONE} timed, scaled) ${seconds(oneByOneMs)} s → import is ${(oneByOneMs / importMs).toFixed(1)}× faster`,
  );
  return { importMs, checkMs, oneByOneMs };
}
