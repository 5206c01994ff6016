import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { createDb, DatabaseStartError } from './db/create-db.js';
import { migrateToLatest, NewerDatabaseError } from './db/migrate.js';
import { runCliCommand, CLI_USAGE } from './cli/run-cli-command.js';
import { nodeIds } from './platform/node-ids.js';
import { systemClock } from './ports.js';
import { seedFirstStart } from './use-cases/seed-first-start.js';
import { createSecretBox, SecretsKeyError } from './platform/secret-box.js';
import { createLogger } from './logger.js';
import { createUpstream } from './webex/create-upstream.js';

/** Operator CLI: `npm run cli -- <command>`; works on the same database the service uses. */
const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    scopes: { type: 'string' },
    role: { type: 'string' },
    partner: { type: 'string' },
    'billing-start': { type: 'string' },
    state: { type: 'string' },
    kind: { type: 'string' },
    month: { type: 'string' },
    customer: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help || positionals.length === 0) {
  process.stdout.write(CLI_USAGE);
  process.exit(positionals.length === 0 && !values.help ? 2 : 0);
}

let exitCode = 1;
try {
  const config = loadConfig();
  const handle = await createDb(config);
  try {
    await migrateToLatest(handle.db);
    const box = createSecretBox({ current: config.SECRETS_KEY, previous: config.SECRETS_KEY_PREVIOUS });
    await seedFirstStart(
      handle.db,
      { partnerName: config.PARTNER_NAME, adminApiToken: config.ADMIN_API_TOKEN },
      { clock: systemClock, ids: nodeIds, box },
    );
    // Webex calls are logged to stderr, so the command's own output stays clean.
    const upstream = createUpstream({
      config,
      db: handle.db,
      box,
      clock: systemClock,
      logger: createLogger(config.LOG_LEVEL, process.stderr),
    });
    const result = await runCliCommand(handle.db, positionals, values, {
      clock: systemClock,
      ids: nodeIds,
      box,
      upstream,
      invoiceNumberPrefix: config.INVOICE_NUMBER_PREFIX,
    });
    process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
    exitCode = result.exitCode;
  } finally {
    await handle.db.destroy();
  }
  // PGlite's runtime resets process.exitCode while it shuts down, so the code is set after it closed.
  process.exitCode = exitCode;
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseStartError ||
    error instanceof SecretsKeyError ||
    error instanceof NewerDatabaseError
  ) {
    process.stderr.write(`wholesale-desk: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
