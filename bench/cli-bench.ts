import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * `npm run bench -- cli`: how long one operator command takes, start to exit, against node's own
 * start-up measured in the same run (`node -e ''`): `help`, and `token list`/`token create` handed to
 * a running PGlite service, from the TypeScript source (tsx) and compiled (dist/, when `npm run build`
 * left it fresh). The target is under 2 s per command.
 */
export async function benchCli(): Promise<void> {
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 5);
  const dir = await mkdtemp(join(tmpdir(), 'wd-bench-cli-'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
  const time = async (what: string, file: string, args: string[], extra: Record<string, string> = {}) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) =>
        execFile(file, args, { env: { ...env, ...extra } }, (error) =>
          error ? reject(new Error(`${what}: ${error.message}`)) : resolve(),
        ),
      );
      ms.push(performance.now() - started);
    }
    return { what, ms: ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]! };
  };
  const node = process.execPath;
  const service = spawn(node, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SCREENING_REQUIRED: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      service.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"msg":"listening"')) resolve();
      });
      service.once('exit', (code) => reject(new Error(`the service exited (${code}) before listening:\n${out}`)));
    });
    const baseline = await time("node -e ''", node, ['-e', '']);
    const compiled = existsSync('dist/.built-at') && statSync('dist/.built-at').mtimeMs >= newestSourceChange();
    const rows = [
      await time('help (source)', node, ['scripts/run-cli.mjs', 'help'], { WD_CLI_FROM_SOURCE: '1' }),
      await time('token list via the service (source)', node, ['scripts/run-cli.mjs', 'token', 'list'], { WD_CLI_FROM_SOURCE: '1' }),
      ...(compiled
        ? [
            await time('help (compiled)', node, ['scripts/run-cli.mjs', 'help']),
            await time('token list via the service (compiled)', node, ['scripts/run-cli.mjs', 'token', 'list']),
            await time('token create via the service (compiled)', node, ['scripts/run-cli.mjs', 'token', 'create', '--name', 'bench']),
            await time('npm run cli -- help (compiled, npm included)', 'npm', ['run', '-s', 'cli', '--', 'help']),
          ]
        : []),
    ];
    console.log(`cli: median of ${runs} runs; baseline ${baseline.what} ${baseline.ms.toFixed(0)} ms`);
    for (const r of rows)
      console.log(`  ${r.what.padEnd(48)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / baseline.ms).toFixed(1)}× node start-up`);
    if (!compiled) console.log('  compiled: skipped, dist/ is missing or older than src/ (npm run build)');
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

function newestSourceChange(): number {
  const walk = (d: string): number =>
    Math.max(
      0,
      ...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? walk(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs)),
    );
  return walk('src');
}
