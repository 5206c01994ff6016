import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_HTTP } from '../../src/contracts/error-body.js';
import { SCREENING_DEPROVISIONED, SCREENING_REJECTED, SCREENING_SKIPPED } from '../../src/domain/compliance/review-rules.js';
import { WEBEX_GAVE_NO_ANSWER } from '../../src/domain/upstream-health.js';

const root = new URL('../../', import.meta.url).pathname;

/** The errorCodes in the first column of the table in docs/error-codes.md (linked from the README and docs/api.md). */
function readmeCodes(): number[] {
  const table = readFileSync(join(root, 'docs', 'error-codes.md'), 'utf8');
  return table
    .split('\n')
    .filter((line) => /^\|\s*\d/.test(line))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/\b\d{4,5}\b/g)].map((m) => Number(m[0])));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Codes answered outside the Problem mapping: the literal errorCode of every `respondError(c, status, message, code)`. */
function bareErrorCodes(): number[] {
  const codes: number[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/respondError\(\s*c\s*,/g)) {
      const call = text.slice(m.index, m.index + 400);
      const code = /,\s*(\d{4,5}),?\s*(?:\{[^}]*\},?\s*)?\)/.exec(call);
      if (code) codes.push(Number(code[1]));
    }
  }
  return codes;
}

describe('the error-code table in docs/error-codes.md', () => {
  it('lists every errorCode the service can answer, and no other', () => {
    const served = new Set([
      ...Object.values(PROBLEM_HTTP).map((p) => p.errorCode),
      ...bareErrorCodes(),
      // Written into a customer's `errors` by compliance decisions.
      SCREENING_REJECTED,
      SCREENING_DEPROVISIONED,
      // Written into a customer's or subscriber's `errors` when its upstream task stops.
      WEBEX_GAVE_NO_ANSWER,
      // Written into a customer's `warnings` when it was provisioned without screening.
      SCREENING_SKIPPED,
    ]);
    const documented = new Set(readmeCodes());
    expect(bareErrorCodes()).toEqual(expect.arrayContaining([4001, 4130, 5000, 5030]));
    expect([...served].filter((c) => !documented.has(c)).sort(), 'answered but not in docs/error-codes.md').toEqual([]);
    expect([...documented].filter((c) => !served.has(c)).sort(), 'in docs/error-codes.md but never answered').toEqual([]);
  });
});
