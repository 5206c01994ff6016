import { appendFileSync } from 'node:fs';
import { afterAll, expect, vi } from 'vitest';

/**
 * setupFile of every project. A worker runs many test files one after the other (`isolate: false`,
 * vitest.config.ts): the sources are imported once per worker, not once per file. What a file changes
 * in the process would then reach the files after it, so this puts back, after each file's last
 * afterAll (setup files' hooks run last), what a file may change in the process:
 *
 * - process.env, as it was before the file was imported (webex-recovery sets HYDRA_SERVICE_URL for the
 *   Webex SDK; the next file's spawned services and loadConfig(process.env) must not see it);
 * - globals replaced with vi.stubGlobal (the console hook test stubs `document`) and env with vi.stubEnv;
 * - fake timers (a file that fails between useFakeTimers and useRealTimers would leave them on).
 *
 * vitest itself restores vi.spyOn spies after each file; `vi.mock` is not undone without isolation, so
 * test/unit/shared-worker-rules.test.ts fails when a test file uses it (such a file belongs in an
 * isolated project). With WD_LEAK_LOG set, a file that leaves more handles open than it found (servers,
 * sockets, timers, child processes) is written there: they would keep running beside the next files.
 */
const envAtImport = { ...process.env };
const resourcesAtImport = countResources();

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

afterAll(() => {
  if (vi.isFakeTimers()) vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  for (const key of Object.keys(process.env)) if (!(key in envAtImport)) delete process.env[key];
  for (const [key, value] of Object.entries(envAtImport)) if (process.env[key] !== value) process.env[key] = value;

  const leakLog = process.env.WD_LEAK_LOG;
  if (!leakLog) return;
  const now = countResources();
  // One Timeout is this hook's own deadline.
  const grown = Object.fromEntries(
    Object.entries(now).filter(([type, n]) => n - (type === 'Timeout' ? 1 : 0) > (resourcesAtImport[type] ?? 0)),
  );
  if (Object.keys(grown).length === 0) return;
  const file = (expect.getState().testPath ?? '').slice(process.cwd().length + 1);
  appendFileSync(leakLog, `${JSON.stringify({ project: process.env.TEST_DB ?? 'unit', file, before: resourcesAtImport, after: grown })}\n`);
});
