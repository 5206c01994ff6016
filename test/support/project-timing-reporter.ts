import type { Reporter, TestModule } from 'vitest/node';

interface ProjectTimes {
  files: number;
  firstStart: number;
  lastEnd: number;
  /** Summed file time (import + tests and hooks): what the project costs the workers. */
  busyMs: number;
  slowest: { file: string; ms: number }[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

/**
 * Prints, after the run, each project's files, wall-clock span (first file started to last file ended;
 * projects overlap, they share the workers) and summed file time, and its five slowest files: the
 * breakdown .ci/run shows, and where to look when the suite grows slow.
 */
export default class ProjectTimingReporter implements Reporter {
  private readonly projects = new Map<string, ProjectTimes>();
  private readonly started = new Map<TestModule, number>();

  onTestModuleStart(testModule: TestModule): void {
    this.started.set(testModule, Date.now());
  }

  onTestModuleEnd(testModule: TestModule): void {
    const end = Date.now();
    const start = this.started.get(testModule) ?? end;
    const name = testModule.project.name || 'default';
    const times = this.projects.get(name) ?? { files: 0, firstStart: start, lastEnd: end, busyMs: 0, slowest: [] };
    const { duration, collectDuration } = testModule.diagnostic();
    const ms = duration + collectDuration;
    times.files += 1;
    times.firstStart = Math.min(times.firstStart, start);
    times.lastEnd = Math.max(times.lastEnd, end);
    times.busyMs += ms;
    times.slowest = [...times.slowest, { file: testModule.relativeModuleId, ms }].sort((a, b) => b.ms - a.ms).slice(0, 5);
    this.projects.set(name, times);
  }

  onTestRunEnd(): void {
    if (this.projects.size === 0) return;
    const lines = ['', 'time per vitest project (projects run side by side on the same workers):'];
    for (const [name, t] of [...this.projects].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(
        `  ${name.padEnd(10)} ${String(t.files).padStart(4)} files  span ${seconds(t.lastEnd - t.firstStart).padStart(6)}  file time ${seconds(t.busyMs).padStart(6)}`,
      );
      for (const s of t.slowest) lines.push(`      ${seconds(s.ms).padStart(6)}  ${s.file}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
