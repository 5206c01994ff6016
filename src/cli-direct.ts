import { type Config, ConfigError } from './config.js';
import { createDb, DatabaseStartError } from './db/create-db.js';
import { migrateToLatest, NewerDatabaseError } from './db/migrate.js';
import { runCliCommand } from './cli/run-cli-command.js';
import type { CliOptions, CliResult } from './cli/cli-options.js';
import { nodeIds } from './platform/node-ids.js';
import { systemClock } from './ports.js';
import { seedFirstStart } from './use-cases/seed-first-start.js';
import { createUseCases } from './use-cases/use-cases.js';
import { createSecretBox, SecretsKeyError } from './platform/secret-box.js';
import { createLogger } from './logger.js';
import { createUpstream } from './webex/create-upstream.js';

/**
 * The CLI's own transport: it opens the database itself (PostgreSQL, or PGlite when no service holds
 * DATA_DIR), runs the command and closes it. Loaded only when a command needs it.
 */
export async function runCliDirectly(config: Config, args: string[], options: CliOptions): Promise<CliResult> {
  const handle = await createDb(config);
  try {
    await migrateToLatest(handle.db);
    const useCases = createUseCases({ db: handle.db });
    const box = createSecretBox({ current: config.SECRETS_KEY, previous: config.SECRETS_KEY_PREVIOUS });
    await seedFirstStart(
      handle.db,
      { partnerName: config.PARTNER_NAME, adminApiToken: config.ADMIN_API_TOKEN },
      { clock: systemClock, ids: nodeIds, box },
    );
    // Webex calls are logged to stderr, so the command's own output stays clean.
    const upstream = createUpstream({
      config,
      useCases,
      box,
      clock: systemClock,
      logger: createLogger(config.LOG_LEVEL, process.stderr),
    });
    return await runCliCommand(useCases, args, options, {
      clock: systemClock,
      ids: nodeIds,
      box,
      upstream,
      invoiceNumberPrefix: config.INVOICE_NUMBER_PREFIX,
    });
  } finally {
    await handle.db.destroy();
  }
}

/** Start-up failures that say what to fix (exit 2, one line), as the service prints them. */
export const isExpectedStartError = (error: unknown): error is Error =>
  error instanceof ConfigError ||
  error instanceof DatabaseStartError ||
  error instanceof SecretsKeyError ||
  error instanceof NewerDatabaseError;
