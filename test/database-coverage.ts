/**
 * Which database(s) each integration and e2e file runs on. Every file under test/integration and test/e2e
 * opens a database (through test/support/test-db.ts, the harness, or a spawned service), so the default is
 * both: embedded PGlite and, when TEST_DATABASE_URL is set, PostgreSQL. A file listed here runs in one
 * project only, instead of being loaded by both and skipped by one; its top-level describe says the same
 * with its guard (`runsOnceAcrossDatabases()`, `testDbKind() === …`), and test/unit/database-coverage.test.ts
 * fails when the two disagree, so dropping a guard (or adding one) without changing this list cannot
 * silently cost a file its PostgreSQL run.
 *
 * - `one`: the subject does not depend on the database (transport, exit codes, start-up checks, the
 *   browser); runs on PostgreSQL when the suite has it, else on PGlite.
 * - `pglite`: about embedded PGlite itself (its files in the production build, the demo's data directory).
 * - `postgres`: needs a PostgreSQL server (faults through a TCP proxy, a previous release's database,
 *   browser walks kept off PGlite's slow starts); without TEST_DATABASE_URL it shows as skipped on PGlite.
 */
export const SINGLE_DATABASE_FILES: Readonly<Record<string, 'one' | 'pglite' | 'postgres'>> = {
  'test/e2e/cli-exit-codes.test.ts': 'one',
  'test/e2e/console-access-browser.test.ts': 'one',
  'test/e2e/console-billing-upstream-browser.test.ts': 'one',
  'test/e2e/console-browser.test.ts': 'one',
  'test/e2e/secrets-key-start.test.ts': 'one',
  'test/e2e/task-takeover-crash.test.ts': 'one',
  'test/e2e/upstream-chat.test.ts': 'one',
  'test/e2e/upstream-crash.test.ts': 'one',
  'test/e2e/upstream-token-refused.test.ts': 'one',
  'test/e2e/webex-websocket.test.ts': 'one',
  'test/integration/rate-limits.test.ts': 'one',
  'test/integration/reconcile-through-webex.test.ts': 'one',
  'test/e2e/cli-with-running-service.test.ts': 'pglite',
  'test/e2e/demo.test.ts': 'pglite',
  'test/integration/pglite-worker-thread.test.ts': 'pglite',
  'test/e2e/production-build.test.ts': 'pglite',
  'test/e2e/readme-walkthrough.test.ts': 'pglite',
  'test/e2e/console-customers-browser.test.ts': 'postgres',
  'test/e2e/console-walk-browser.test.ts': 'postgres',
  'test/e2e/database-outage.test.ts': 'postgres',
  'test/e2e/upgrade-from-previous-release.test.ts': 'postgres',
  'test/integration/database-faults.test.ts': 'postgres',
};

/** The files that open a database: every integration and e2e file. */
export const DATABASE_TEST_GLOBS = ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'];

/** The files each database project runs: `withPostgres` says whether the suite has a postgres project. */
export function filesFor(project: 'pglite' | 'postgres', withPostgres: boolean): { include: string[]; exclude: string[] } {
  const runsHere = (where: 'one' | 'pglite' | 'postgres'): boolean =>
    project === 'postgres' ? where !== 'pglite' : where === 'pglite' || !withPostgres;
  const entries = Object.entries(SINGLE_DATABASE_FILES);
  return {
    include: DATABASE_TEST_GLOBS,
    exclude: entries.filter(([, where]) => !runsHere(where)).map(([file]) => file),
  };
}
