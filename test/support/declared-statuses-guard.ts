import { afterAll, beforeAll, expect } from 'vitest';
import { takeAnswers, undeclaredAnswers } from './answered-statuses.js';

/**
 * setupFile of the database projects: after each file's last afterAll (setup files' hooks run last), every
 * status the harness's app answered in the file (test/support/answered-statuses.ts) must be one the
 * OpenAPI document declares for the operation that answered it. An operation that really answers what its
 * contract does not list (a 409 its use-case reports, a 404 of an id in the body) fails the file here,
 * naming the operation, the request and the statuses it declares: declare it in the contract (`errors`).
 */
beforeAll(() => {
  // What a file before this one in the same worker answered is that file's, checked after it.
  takeAnswers();
});

afterAll(() => {
  expect(undeclaredAnswers(takeAnswers()), 'statuses answered that the operation does not declare (openapi.ts, errors)').toEqual([]);
});
