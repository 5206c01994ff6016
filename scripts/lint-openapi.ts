// `npm run lint:openapi`: writes the document GET /v1/openapi.json serves to a temporary file and lints it
// with Redocly (rules in redocly.yaml). Exits with Redocly's status, so any error fails `npm run lint`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../src/api/v1-routes.js';

const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
const file = join(dir, 'openapi.json');
writeFileSync(file, JSON.stringify(buildOpenApiDocument('http://localhost:8080'), null, 2));
const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
const run = spawnSync(
  process.execPath,
  [cli, 'lint', file, '--config', fileURLToPath(new URL('../redocly.yaml', import.meta.url)), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
