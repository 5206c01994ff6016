import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const testFiles = (): string[] =>
  readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join('test', name))
    .sort();

/** A module mock (`vi.mock`, `vi.doMock`) in code, not in a comment or a string. */
const MODULE_MOCK = /^[^/'"`]*\bvi\.(mock|doMock|unmock|doUnmock|resetModules)\(/m;

/**
 * Every project runs its files in shared workers (`isolate: false`, vitest.config.ts): a worker imports
 * the sources once and runs many files. test/support/shared-worker-guard.ts puts back env, stubbed globals
 * and fake timers after each file, and vitest restores spies; a module mock is not undone, and a module
 * already imported by an earlier file is not imported again, so a mock would reach the next files or miss
 * its own. A file that needs one must run in a project with `isolate: true`.
 */
describe('test files in shared workers', () => {
  it('finds a module mock in code (and not in a comment)', () => {
    expect(MODULE_MOCK.test("vi.mock('../../src/config.js');")).toBe(true);
    expect(MODULE_MOCK.test("  vi.doMock('node:fs', () => ({}));")).toBe(true);
    expect(MODULE_MOCK.test('// vi.mock would leak here')).toBe(false);
  });

  it('use no module mocks', () => {
    const files = testFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((file) => MODULE_MOCK.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
