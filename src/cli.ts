import { parseArgs } from 'node:util';
import { CLI_COMMANDS, CLI_USAGE, helpFor } from './cli/cli-usage.js';
import { CLI_OPTIONS, CLI_STRING_OPTIONS, type CliOptions, type CliResult } from './cli/cli-options.js';
import { embeddedDataDirOf } from './platform/admin-endpoint.js';

/**
 * Operator CLI: `npm run cli -- <command>`. `help` loads nothing else. A command goes to the running
 * service's loopback admin endpoint when a service holds the embedded database (PGlite), and runs on
 * the database directly otherwise; the rest of the application is imported only on that path.
 */
function fatal(message: string, code: number): never {
  process.stderr.write(`wholesale-desk: ${message}\n`);
  process.exit(code);
}

let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof CLI_OPTIONS; strict: true }>>;
try {
  parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: CLI_OPTIONS, strict: true });
} catch (error) {
  fatal(`${error instanceof Error ? error.message : String(error)}; see \`npm run cli -- help\``, 1);
}
const { positionals, values } = parsed;

if (positionals.length === 0 || positionals[0] === 'help' || values.help) {
  const topic = positionals[0] === 'help' ? positionals[1] : positionals[0];
  if (!topic) {
    process.stdout.write(CLI_USAGE);
    // A bare `npm run cli` is a mistake a script should notice; asking for help is not.
    process.exit(positionals.length === 0 && !values.help ? 2 : 0);
  }
  const text = helpFor(topic);
  if (!text) fatal(`no command "${topic}"; the commands are ${CLI_COMMANDS.join(', ')}`, 1);
  process.stdout.write(text);
  process.exit(0);
}

const options: CliOptions = Object.fromEntries(
  CLI_STRING_OPTIONS.flatMap((name) => (typeof values[name] === 'string' ? [[name, values[name]]] : [])),
);

let result: CliResult;
try {
  // Finding the service needs only DATA_DIR: the configuration and the application are loaded only
  // when the CLI opens the database itself.
  const dataDir = embeddedDataDirOf(process.env);
  const { findDataDirHolder, runCliRemotely } = await import('./cli/run-cli-remotely.js');
  const holder = dataDir ? await findDataDirHolder(dataDir) : ({ kind: 'direct' } as const);
  if (holder.kind === 'service') {
    result = await runCliRemotely(holder.endpoint, positionals, options);
  } else {
    const { loadConfig } = await import('./config.js');
    result = await (await import('./cli-direct.js')).runCliDirectly(loadConfig(), positionals, options);
  }
} catch (error) {
  const { AdminEndpointError } = await import('./cli/run-cli-remotely.js');
  if (error instanceof AdminEndpointError) fatal(error.message, 2);
  const { isExpectedStartError } = await import('./cli-direct.js');
  if (isExpectedStartError(error)) fatal(error.message, 2);
  throw error;
}
process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
// Set after the database closed: PGlite's runtime resets process.exitCode while it shuts down.
process.exitCode = result.exitCode;
