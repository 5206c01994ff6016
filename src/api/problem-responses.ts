import type { Context } from 'hono';
import { headersFor, statusFor, toErrorBody } from '../contracts/error-body.js';
import type { Problem } from '../domain/problems.js';

/** The one way the API answers an expected failure: Webex's error shape, the right status, the problems' headers (Retry-After, a 401's challenge). */
export function respondProblems(c: Context, problems: readonly Problem[]) {
  return c.json(toErrorBody(problems, c.get('requestId') ?? 'unknown'), statusFor(problems), headersFor(problems));
}
