import { existsSync, readFileSync } from 'node:fs';
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
    lines.push(...cpuLines());
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

interface CpuLine {
  project: string;
  file: string;
  self: number;
  children: number;
  startup: number;
}

/**
 * CPU seconds per project and the costliest files, from the lines test/support/cpu-per-file.ts appends to
 * WD_CPU_LOG: unlike wall-clock time, they do not grow when the machine is busy with other work.
 */
function cpuLines(): string[] {
  const log = process.env.WD_CPU_LOG;
  if (!log || !existsSync(log)) return [];
  const entries = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CpuLine);
  const total = (e: CpuLine) => e.self + e.children + e.startup;
  const lines = ['', 'CPU seconds (user + system; worker, its start-up, and the processes it spawned) per project:'];
  for (const project of [...new Set(entries.map((e) => e.project))].sort()) {
    const own = entries.filter((e) => e.project === project);
    const sum = (f: (e: CpuLine) => number) => own.reduce((acc, e) => acc + f(e), 0).toFixed(0);
    lines.push(
      `  ${project.padEnd(10)} ${String(own.length).padStart(4)} files  cpu ${sum(total).padStart(5)} s  (in-process ${sum((e) => e.self)}, spawned ${sum((e) => e.children)}, worker start-up and between files ${sum((e) => e.startup)})`,
    );
    for (const e of [...own].sort((a, b) => total(b) - total(a)).slice(0, 8)) {
      lines.push(`      ${total(e).toFixed(0).padStart(5)} s  ${e.file}  (spawned ${e.children.toFixed(0)} s)`);
    }
  }
  return lines;
}
