import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { statusFor, toErrorBody } from '../contracts/error-body.js';
import type { Problem } from '../domain/problems.js';

/** The one way the API answers an expected failure: Webex's error shape, the right status. */
export function respondProblems(c: Context, problems: readonly Problem[]) {
  return c.json(toErrorBody(problems, c.get('requestId') ?? 'unknown'), statusFor(problems));
}

/** A bare error for failures outside the domain (401, 413, 415, 503…). */
export function respondError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  errorCode: number,
  headers?: Record<string, string>,
) {
  return c.json({ message, errors: [{ description: message, errorCode }], trackingId: c.get('requestId') ?? 'unknown' }, status, headers);
}
