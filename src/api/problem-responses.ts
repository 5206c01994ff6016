import type { Context, TypedResponse } from 'hono';
import { type ErrorBody, headersFor, type ProblemStatus, statusFor, toErrorBody } from '../contracts/error-body.js';
import type { Problem } from '../domain/problems.js';

/** The one way the API answers an expected failure: Webex's error shape, the right status, the problems' headers (Retry-After, a 401's challenge). */
export function respondProblems(c: Context, problems: readonly Problem[]): ProblemResponse {
  return c.json(toErrorBody(problems, c.get('requestId') ?? 'unknown'), statusFor(problems), headersFor(problems));
}

/** An answer of expected failures: Webex's error body (the document's shared `Error` schema) at a problem's status. */
export type ProblemResponse = Response & TypedResponse<ErrorBody, ProblemStatus, 'json'>;
