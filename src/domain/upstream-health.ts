/*
 * What the desk says about its connection to Webex Wholesale, in words, with what to do: one source for
 * GET /v1/upstream/status's `summary`, chat `status`, the console's Upstream page, the daily digest,
 * and the errors left on a customer or subscriber whose task stopped.
 */

/** In a record's `errors`: Webex refused the desk's token (401, or 403 for a missing scope). The task is held. */
export const WEBEX_TOKEN_REFUSED = 2130;
/** In a record's `errors`: Webex gave no usable answer through every attempt. The task is parked as failed. */
export const WEBEX_GAVE_NO_ANSWER = 2131;

export type UpstreamAuth = 'token' | 'oauth';

/** What to fix when Webex refuses the credentials, by how the desk signs in. */
export function credentialsFix(auth: UpstreamAuth | undefined): string {
  if (auth === undefined)
    return 'set WEBEX_WHOLESALE_TOKEN to a valid partner administrator’s token (or, with an OAuth integration, check WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET and WEBEX_REFRESH_TOKEN)';
  return auth === 'oauth'
    ? 'check WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET and WEBEX_REFRESH_TOKEN (and the integration’s scopes)'
    : 'set WEBEX_WHOLESALE_TOKEN to a valid partner administrator’s token';
}

/** "The Webex token was refused (401): set WEBEX_WHOLESALE_TOKEN to …": the cause and the fix, without the next step. */
export function tokenRefused(auth: UpstreamAuth | undefined, status: number | null | undefined): string {
  const what = auth === 'oauth' ? 'The OAuth integration’s Webex token' : 'The Webex token';
  const why = status === 403 ? ' (403: a scope is missing)' : status ? ` (${status})` : '';
  return `${what} was refused${why}: ${credentialsFix(auth)}`;
}

/** The description on a record whose work is held because the token was refused. */
export function tokenRefusedDescription(auth: UpstreamAuth | undefined, status: number | null | undefined): string {
  return `${tokenRefused(auth, status)}, then retry (chat "retry failed", or POST /v1/tasks/retry). Held: nothing was sent to Webex.`;
}

/** The description on a record whose task gave up after its attempts. */
export function gaveNoAnswerDescription(attempts: number, lastError: string): string {
  return `Webex Wholesale gave no usable answer in ${attempts} attempts (last: ${lastError}); retry once it answers (chat "retry failed", or POST /v1/tasks/retry).`;
}

export interface UpstreamHealthInput {
  state: 'ok' | 'unauthorized' | 'unavailable' | 'degraded';
  auth?: UpstreamAuth | undefined;
  lastError?: { at: string; status: number | null; message: string } | null | undefined;
  retryAt?: string | null | undefined;
}

const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** One sentence: how the connection stands and, unless it is fine, what to do. */
export function describeUpstreamHealth(h: UpstreamHealthInput): string {
  const last = h.lastError ? ` Last error at ${minute(h.lastError.at)}: ${h.lastError.message}.` : '';
  switch (h.state) {
    case 'unauthorized':
      return `${tokenRefused(h.auth, h.lastError?.status)}, then retry the held work (chat "retry failed", or Retry on the console's Upstream page). New work is held until then.${last}`;
    case 'unavailable':
      return `Webex Wholesale is not answering${h.retryAt ? `; calls pause until ${minute(h.retryAt)}` : ''}. Work waits and is retried by itself; nothing to do unless it lasts.${last}`;
    case 'degraded':
      return `Webex Wholesale answered with failures in the last few minutes; work is retried by itself.${last}`;
    case 'ok':
      return 'Connected to Webex Wholesale: calls go through.';
  }
}
