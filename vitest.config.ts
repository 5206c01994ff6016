import { configDefaults, defineConfig } from 'vitest/config';
import { filesFor } from './test/database-coverage.js';

const usePostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Files run side by side: most of the suite's time is spent waiting (spawned services starting and
 * stopping, the Webex SDK's own timeouts, PostgreSQL), and vitest's default on this 2-core machine
 * (cores − 1 = one worker) ran them one after the other. Every file is independent: its own database
 * (in-memory PGlite, or a fresh PostgreSQL database), its own services on ports the OS picks.
 * TEST_WORKERS overrides the count.
 */
const maxWorkers = Number(process.env.TEST_WORKERS) || 4;

/**
 * Per-file CPU seconds when WD_CPU_LOG is set (printed by test/support/project-timing-reporter.ts), and what
 * a file may change in the process put back after it (test/support/shared-worker-guard.ts).
 */
const setupFiles = ['test/support/cpu-per-file.ts', 'test/support/shared-worker-guard.ts'];
/**
 * The database projects also check, after each file, that every status the harness's app answered is one
 * the OpenAPI document declares for the operation (test/support/declared-statuses-guard.ts).
 */
const databaseSetupFiles = [...setupFiles, 'test/support/declared-statuses-guard.ts'];

/**
 * A worker runs many test files one after the other and imports the sources once (`isolate: false`):
 * starting a worker and importing src cost about 1.4 s of CPU per file, on a machine where CPU, not
 * waiting, is what the suite runs out of. Files share no state through the sources (metrics, config and
 * databases are made per app or per file); shared-worker-guard.ts puts back what a file may change in the
 * process. `forks`: one process per worker, so a file's CPU (test/support/cpu-per-file.ts) is its own.
 */
const shared = { isolate: false, pool: 'forks' } as const;

/**
 * Timeouts are generous on purpose: they only cost time when something hangs, and two suites (or a
 * suite beside a build) on this 2-core machine make a service start take ten times as long.
 *
 * Unit tests run once; everything that touches a database runs on embedded PGlite and, when
 * TEST_DATABASE_URL points at a PostgreSQL server, again on PostgreSQL (each file in a fresh database),
 * except the files test/database-coverage.ts lists for one database. Each database project migrates one
 * template first (test/support/migrated-templates.ts); files start from copies of it.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
    maxWorkers,
    projects: [
      {
        test: {
          name: 'unit',
          ...shared,
          include: ['test/unit/**/*.test.ts', 'test/console/**/*.test.ts'],
          setupFiles,
          env: { TZ: 'UTC' },
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'pglite',
          ...shared,
          include: filesFor('pglite', usePostgres).include,
          exclude: [...configDefaults.exclude, ...filesFor('pglite', usePostgres).exclude],
          globalSetup: ['test/support/migrated-templates.ts', 'test/support/compiled-service.ts'],
          setupFiles: databaseSetupFiles,
          env: { TEST_DB: 'pglite', TZ: 'UTC' },
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      ...(usePostgres
        ? [
            {
              test: {
                name: 'postgres',
                ...shared,
                include: filesFor('postgres', true).include,
                exclude: [...configDefaults.exclude, ...filesFor('postgres', true).exclude],
                globalSetup: ['test/support/migrated-templates.ts', 'test/support/compiled-service.ts'],
                setupFiles: databaseSetupFiles,
                env: { TEST_DB: 'postgres', TZ: 'UTC' },
                testTimeout: 240_000,
                hookTimeout: 240_000,
              },
            },
          ]
        : []),
    ],
  },
});
