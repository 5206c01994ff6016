import { type Config, ConfigError, loadConfig } from './config.js';
import { DatabaseStartError } from './db/create-db.js';
import { NewerDatabaseError } from './db/migrate.js';
import { createLogger } from './logger.js';
import { ListenError, startService } from './start-service.js';
import { applyHeapGrowingPercent } from './platform/heap-growth.js';
import { SecretsKeyError } from './platform/secret-box.js';

/** Expected start-up failures print one line that says what to fix; no stack trace. */
function exitWith(message: string, code = 1): never {
  process.stderr.write(`wholesale-desk: ${message}\n`);
  process.exit(code);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) exitWith(error.message, 2);
  throw error;
}

applyHeapGrowingPercent(config.HEAP_GROWING_PERCENT);
const logger = createLogger(config.LOG_LEVEL);

try {
  const service = await startService(config, logger);
  if (service.generatedToken) {
    process.stderr.write(
      `\nFirst start: an API token with every scope was created. It is shown only this once:\n\n    ${service.generatedToken}\n\n` +
        `Use it as "Authorization: Bearer <token>". Create more with \`npm run cli -- token create\`.\n\n`,
    );
  }
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // `npm start` runs npm → tsx → node, and Ctrl-C reaches every one of them, each passing it on:
    // the same keypress arrives here several times at once. Only a signal sent well after the first
    // (an operator insisting) forces an exit without a clean shutdown.
    if (firstSignalAt) {
      if (Date.now() - firstSignalAt > 2_000) exitWith(`second ${signal}: exiting without a clean shutdown`, 1);
      return;
    }
    firstSignalAt = Date.now();
    logger.info({ signal }, 'signal received');
    const deadline = setTimeout(() => exitWith('shutdown took too long; exiting', 1), config.SHUTDOWN_TIMEOUT_MS + 5_000);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
} catch (error) {
  if (error instanceof DatabaseStartError || error instanceof ListenError) exitWith(error.message);
  if (error instanceof SecretsKeyError || error instanceof NewerDatabaseError) exitWith(error.message, 2);
  logger.fatal({ err: error }, 'start failed');
  exitWith(`start failed: ${error instanceof Error ? error.message : String(error)}`);
}
