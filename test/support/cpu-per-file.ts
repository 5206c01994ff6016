import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

/**
 * setupFile of every project: when WD_CPU_LOG names a file, appends one JSON line per test file with the
 * CPU seconds (user + system) the file cost its worker process and the processes it spawned and waited for
 * (services, the CLI, Chromium): /proc/self/stat's utime + stime + cutime + cstime, read before the test
 * file is imported and after its last afterAll. On a machine shared with other work, wall-clock time says
 * little; CPU time does not depend on the load. test/support/project-timing-reporter.ts prints the sums.
 *
 * A worker runs many files one after the other (`isolate: false`, vitest.config.ts). vitest evaluates the
 * setup files again before each file, but `globalThis` stays: it carries the reading taken when the
 * previous file ended, so `startup` is what the process spent before this file (the worker's start and
 * importing the sources for its first file, the gap between files after that) and the lines of one worker
 * add up to the worker's whole CPU, counted once. Child processes reaped between two files count for the
 * next one. (The `forks` pool: one worker per process. Under `threads`, /proc/self is every worker at once.)
 */
const log = process.env.WD_CPU_LOG;

interface CpuReading {
  self: number;
  children: number;
}

/** utime, stime, cutime, cstime of this process in seconds, or undefined where /proc is missing. */
function cpuSeconds(): CpuReading | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const tick = 100; // USER_HZ on Linux
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15).map(Number);
    return { self: (utime + stime) / tick, children: (cutime + cstime) / tick };
  } catch {
    return undefined;
  }
}

/** The reading taken when the previous test file of this worker ended (survives the setup file's re-evaluation). */
const worker = globalThis as typeof globalThis & { wdCpuAtLastFileEnd?: CpuReading };

if (log) {
  const atImport = cpuSeconds();
  const before = worker.wdCpuAtLastFileEnd ?? { self: 0, children: 0 };
  afterAll(() => {
    const now = cpuSeconds();
    const file = expect.getState().testPath ?? '';
    if (!atImport || !now) return;
    worker.wdCpuAtLastFileEnd = now;
    const line = {
      project: process.env.TEST_DB ?? 'unit',
      file: file.slice(process.cwd().length + 1),
      self: +(now.self - atImport.self).toFixed(2),
      children: +(now.children - before.children).toFixed(2),
      // What the process used before the file was imported: node, vitest and the setup files for a
      // worker's first file (with the sources its imports pulled in), the gap since the last file after.
      startup: +(atImport.self - before.self).toFixed(2),
      firstInWorker: before.self === 0,
    };
    appendFileSync(log, `${JSON.stringify(line)}\n`);
  });
}
