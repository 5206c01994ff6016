import { webexTokenResponseSchema } from '../contracts/webex-wholesale.js';
import type { Logger } from '../logger.js';
import { UpstreamError } from '../ports.js';

/** The bearer token for Webex Wholesale calls. */
export interface WholesaleTokenSource {
  readonly kind: 'token' | 'oauth';
  get(): Promise<string>;
  /** Webex answered 401 to `used`: the next get() refreshes (OAuth). False when nothing can be done (a fixed token). */
  invalidate(used: string): boolean;
}

/** A partner administrator's access token: used as given; a 401 means a person must replace it. */
export function createFixedToken(token: string): WholesaleTokenSource {
  return { kind: 'token', get: async () => token, invalidate: () => false };
}

/** Refresh ahead of expiry by this much, so no call goes out with a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * An OAuth integration's access token, obtained with its refresh token at POST {api}/access_token
 * (grant_type=refresh_token) before it expires and after a 401. Webex may answer a new refresh token:
 * it is saved (sealed, by the caller's `save`) and read back before every refresh, so instances sharing
 * a database and a restarted service use the newest one. One refresh at a time.
 */
export function createOAuthTokens(opts: {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** The newest stored refresh token, else the configured one. */
  loadRefreshToken(): Promise<string>;
  saveRefreshToken(token: string): Promise<void>;
  timeoutMs: number;
  now?: () => number;
  fetch?: typeof fetch;
  logger: Logger;
}): WholesaleTokenSource {
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  let access: { token: string; expiresAt: number } | undefined;
  let refreshing: Promise<string> | undefined;

  async function refresh(): Promise<string> {
    const refreshToken = await opts.loadRefreshToken();
    let res: Response;
    try {
      res = await doFetch(`${opts.apiUrl}/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          refresh_token: refreshToken,
        }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (error) {
      throw new UpstreamError('unavailable', `Webex access token refresh failed: ${(error as Error).name}`);
    }
    const trackingId = res.headers.get('trackingid');
    if (!res.ok) {
      await res.body?.cancel();
      opts.logger.error(
        { status: res.status, trackingId },
        'Webex refused the access token refresh; check WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET, WEBEX_REFRESH_TOKEN',
      );
      throw new UpstreamError(res.status >= 500 ? 'unavailable' : 'rejected', `Webex refused the access token refresh (${res.status})`, {
        status: res.status,
        trackingId,
      });
    }
    const parsed = webexTokenResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success)
      throw new UpstreamError('unavailable', 'Webex answered the access token refresh with an unexpected body', { trackingId });
    const t = parsed.data;
    access = { token: t.access_token, expiresAt: now() + t.expires_in * 1000 };
    if (t.refresh_token && t.refresh_token !== refreshToken) await opts.saveRefreshToken(t.refresh_token);
    opts.logger.info(
      { trackingId, expiresInSeconds: t.expires_in, refreshTokenRotated: Boolean(t.refresh_token && t.refresh_token !== refreshToken) },
      'Webex access token refreshed',
    );
    return t.access_token;
  }

  return {
    kind: 'oauth',
    async get() {
      if (access && access.expiresAt - now() > REFRESH_MARGIN_MS) return access.token;
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    invalidate(used) {
      if (access?.token === used) access = undefined;
      return true;
    },
  };
}
