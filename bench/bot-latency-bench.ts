import { sql } from 'kysely';
import { pino } from 'pino';
import type { BotContext } from '../src/bot/bot-command.js';
import { handleMessage } from '../src/bot/handle-message.js';
import { toOutgoingMessages } from '../src/bot/outgoing.js';
import { createDb, type DbConfig } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadRootPartner } from '../src/use-cases/operator-admin.js';
import { listTemplates } from '../src/db/repositories/onboarding-templates.js';
import { nodeIds } from '../src/platform/node-ids.js';
import { systemClock } from '../src/ports.js';
import { createCustomer } from '../src/use-cases/customers.js';
import { createSubscriber } from '../src/use-cases/create-subscriber.js';
import { seedFirstStart } from '../src/use-cases/seed-first-start.js';
import { createSendQueue } from '../src/webex/send-queue.js';
import type { WebexClient } from '../src/webex/webex-client.js';
import { createUseCases } from '../src/use-cases/use-cases.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Time from a command received to its reply handed to the sender, over 1,000 mixed commands, with
 * the network left out: the Webex client here records the hand-off instead of calling Webex. The
 * baseline, measured in the same run, is one `select 1` round trip to the same database.
 */
export async function benchBotLatency(dbConfig: DbConfig, label: string, commands = 1_000) {
  const handle = await createDb(dbConfig);
  const { db } = handle;
  await migrateToLatest(db);
  await seedFirstStart(db, { partnerName: 'Bench' }, { clock: systemClock, ids: nodeIds });
  const partner = (await loadRootPartner(db))!;
  const template = (await listTemplates(db, [partner.id]))[0]!;
  const actor = { partner, label: 'bench' };
  const deps = () => ({ now: new Date(), uuid: nodeIds.uuid });
  for (let i = 0; i < 200; i++) {
    const c = await createCustomer(
      db,
      actor,
      {
        provisioningId: template.id,
        externalId: `lat-${i}`,
        packages: ['webex_meetings'],
        address: { addressLine1: `${i} Main St`, city: 'Berlin', country: 'DE' },
        customerInfo: { name: `Latency Customer ${i}`, primaryEmail: `it@lat-${i}.example` },
      },
      deps(),
    );
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    await db.updateTable('customers').set({ status: 'provisioned' }).where('id', '=', c.value.customer.id).execute();
    for (let j = 0; j < 5; j++)
      await createSubscriber(
        db,
        actor,
        {
          customerId: c.value.customer.id,
          email: `u${j}@lat-${i}.example`,
          package: 'webex_meetings',
          provisioningParameters: { firstName: 'Lat', lastName: `User ${j}` },
        },
        deps(),
      );
  }

  let handedOff = 0;
  const client: WebexClient = {
    async createMessage() {
      handedOff = performance.now();
      return { id: 'm', roomId: 'r' };
    },
    async downloadFile() {
      throw new Error('not used');
    },
  };
  const queue = createSendQueue(client, pino({ level: 'silent' }));
  const log = pino({ level: 'silent' });
  const mix = (i: number): string => {
    const c = i % 200;
    return [
      'help',
      'customers',
      `status lat-${c}`,
      `status "Latency Customer ${c}"`,
      `precheck user new${i}@lat-${c}.example to lat-${c}`,
      'review queue',
      `invoice lat-${c} last month`,
      `change package u1@lat-${c}.example to webex_calling`,
      'no',
      'custmers',
    ][i % 10]!;
  };

  const byCommand = new Map<string, number[]>();
  const all: number[] = [];
  for (let i = 0; i < commands; i++) {
    const text = mix(i);
    const ctx: BotContext = {
      useCases: createUseCases({ db }),
      actor: { partner, label: 'staff:bench@partner.example', role: 'admin' },
      spaceId: 'bench-space',
      deps: deps(),
    };
    const started = performance.now();
    const reply = await handleMessage(ctx, text, log);
    await queue.send('bench-space', toOutgoingMessages(reply));
    const ms = handedOff - started;
    all.push(ms);
    const key = text
      .split(' ')
      .slice(0, 2)
      .join(' ')
      .replace(/lat-\d+|new\d+@.*|u1@.*|"Latency/g, '…');
    byCommand.set(key, [...(byCommand.get(key) ?? []), ms]);
  }
  const rtts: number[] = [];
  for (let i = 0; i < 1_000; i++) {
    const t = performance.now();
    await sql`select 1`.execute(db);
    rtts.push(performance.now() - t);
  }
  await handle.db.destroy();

  all.sort((a, b) => a - b);
  rtts.sort((a, b) => a - b);
  const median = percentile(all, 50);
  const p99 = percentile(all, 99);
  const base = percentile(rtts, 50);
  console.log(
    `bot latency [${label}]: ${commands} mixed commands, command received → reply handed to the sender: median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; baseline one database round trip median ${base.toFixed(3)} ms → median = ${(median / base).toFixed(1)}× a round trip`,
  );
  for (const [name, values] of byCommand) {
    values.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(24)} median ${percentile(values, 50).toFixed(2)} ms  p99 ${percentile(values, 99).toFixed(2)} ms`);
  }
  return { median, p99, baseline: base };
}
