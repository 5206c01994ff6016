import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SINGLE_DATABASE_FILES } from '../database-coverage.js';

type Where = 'both' | 'one' | 'pglite' | 'postgres';

const DATABASE_FOLDERS = ['test/integration', 'test/e2e'];
const databaseTestFiles = (): string[] =>
  DATABASE_FOLDERS.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(dir, name)),
  ).sort();

const ONE_DATABASE = /runsOnceAcrossDatabases\(\)|testDbKind\(\) === \(process\.env\.TEST_DATABASE_URL \? 'postgres' : 'pglite'\)/;

/** Where one top-level describe runs, read from its guard. */
function whereDescribeRuns(opening: string): Where {
  if (ONE_DATABASE.test(opening)) return 'one';
  const kind = /testDbKind\(\) (===|!==) '(pglite|postgres)'/.exec(opening);
  if (!kind) return 'both';
  const [, op, named] = kind;
  const other = named === 'pglite' ? 'postgres' : 'pglite';
  // runIf(kind === X) and skipIf(kind !== X) run on X; the reverse pair runs on the other one.
  const runIf = opening.startsWith('describe.runIf');
  return (runIf ? op === '===' : op === '!==') ? (named as Where) : other;
}

/** Where a file's tests run, from its top-level describes: a file runs on one database only if all of them do. */
function whereFileRuns(source: string): Where {
  const openings = [...source.matchAll(/^describe\b[\s\S]*?=>/gm)].map((m) => m[0]);
  const places = new Set(openings.map(whereDescribeRuns));
  return places.size === 1 ? [...places][0]! : 'both';
}

describe('which database each integration and e2e file runs on', () => {
  it('reads guards the way the list means them', () => {
    expect(whereFileRuns("describe('x on ' + testDbKind(), () => {});")).toBe('both');
    expect(whereFileRuns('describe.runIf(runsOnceAcrossDatabases())(`x`, () => {});')).toBe('one');
    expect(whereFileRuns("describe.runIf(testDbKind() === 'pglite')('x', () => {});")).toBe('pglite');
    expect(whereFileRuns("describe.skipIf(testDbKind() !== 'postgres')('x', () => {});")).toBe('postgres');
    expect(whereFileRuns("describe.runIf(testDbKind() === 'postgres')('x', () => {});\ndescribe('y', () => {});")).toBe('both');
  });

  it('test/database-coverage.ts lists exactly the files whose describes run on one database, with that database', () => {
    const derived = Object.fromEntries(
      databaseTestFiles()
        .map((file) => [file, whereFileRuns(readFileSync(file, 'utf8'))] as const)
        .filter(([, where]) => where !== 'both'),
    );
    // A file missing here runs on both projects and skips in one; a file listed here whose guard is gone
    // would lose a database it now means to run on: either way, change the list with the guard.
    expect(SINGLE_DATABASE_FILES).toEqual(derived);
  });
});
