import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

/**
 * setupFile of every project: when WD_CPU_LOG names a file, appends one JSON line per test file with the
 * CPU seconds (user + system) the file cost its worker process and the processes it spawned and waited for
 * (services, the CLI, Chromium): /proc/self/stat's utime + stime + cutime + cstime, read before the test
 * file is imported and after its last afterAll. On a machine shared with other work, wall-clock time says
 * little; CPU time does not depend on the load. test/support/project-timing-reporter.ts prints the sums.
 */
const log = process.env.WD_CPU_LOG;

/** utime, stime, cutime, cstime of this process in seconds, or undefined where /proc is missing. */
function cpuSeconds(): { self: number; children: number } | undefined {
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

if (log) {
  const atImport = cpuSeconds();
  afterAll(() => {
    const now = cpuSeconds();
    const file = expect.getState().testPath ?? '';
    if (!atImport || !now) return;
    const line = {
      project: process.env.TEST_DB ?? 'unit',
      file: file.slice(process.cwd().length + 1),
      self: +(now.self - atImport.self).toFixed(2),
      children: +(now.children - atImport.children).toFixed(2),
      // What the process had used before the file was imported (node, vitest, the setup files).
      startup: +atImport.self.toFixed(2),
    };
    appendFileSync(log, `${JSON.stringify(line)}\n`);
  });
}
