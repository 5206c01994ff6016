import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_HTTP } from '../../src/contracts/error-body.js';
import { ERROR_CODE_TABLE, renderErrorCodesDoc, SERVED_ERROR_CODES } from '../../src/contracts/error-codes.js';

const root = new URL('../../', import.meta.url).pathname;

describe('the error-code table', () => {
  it('lists every errorCode the service can answer or record, and no other', () => {
    const documented = new Set(ERROR_CODE_TABLE.flatMap((row) => row.codes));
    // The edges' own failures (401, 413, 503, 500…) are Problems too now: each is in the one mapping.
    expect([...SERVED_ERROR_CODES]).toEqual(expect.arrayContaining([4001, 4031, 4110, 4130, 5000, 5030, 5031, 2124, 2126]));
    expect([...SERVED_ERROR_CODES].filter((c) => !documented.has(c)).sort(), 'answered but not documented').toEqual([]);
    expect([...documented].filter((c) => !SERVED_ERROR_CODES.has(c)).sort(), 'documented but never answered').toEqual([]);
  });

  it('gives each answered code the status its problem is answered with', () => {
    for (const [code, http] of Object.entries(PROBLEM_HTTP)) {
      const row = ERROR_CODE_TABLE.find((r) => r.codes.includes(http.errorCode));
      expect(row?.status.split(' / '), `${code} (${http.errorCode})`).toContain(String(http.status));
    }
  });

  it('docs/error-codes.md is generated from the list and up to date (npm run generate:error-codes)', () => {
    expect(readFileSync(join(root, 'docs', 'error-codes.md'), 'utf8')).toBe(renderErrorCodesDoc());
  });
});
