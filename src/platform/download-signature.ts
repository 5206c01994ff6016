import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, problem, type Result } from '../domain/problems.js';

/** HMAC-SHA256 over "reportId.expires": a download link that cannot be altered or extended. */
export function signDownload(secret: string, reportId: string, expiresUnix: number): string {
  return createHmac('sha256', secret).update(`${reportId}.${expiresUnix}`).digest('hex');
}

/** The link as signed, or why it is refused (invalid: altered or not ours; expired: ask for a fresh one). */
export function checkDownloadSignature(
  secret: string | readonly string[],
  reportId: string,
  expires: string | undefined,
  sig: string | undefined,
  nowUnix: number,
  maxLifetimeSeconds: number,
): Result<void> {
  const invalid = fail(
    problem('download_link_invalid', 'this download link is not valid; GET the report again for a fresh tempDownloadURL'),
  );
  if (!expires || !/^\d{1,12}$/.test(expires) || !sig || !/^[0-9a-f]{64}$/.test(sig)) return invalid;
  // Every live key is tried: a link signed before a rotation stays valid until it expires.
  const given = Buffer.from(sig, 'hex');
  const keys = typeof secret === 'string' ? [secret] : secret;
  if (!keys.some((key) => timingSafeEqual(Buffer.from(signDownload(key, reportId, Number(expires)), 'hex'), given))) return invalid;
  // A link is only ever issued for maxLifetimeSeconds: one that lives longer was not issued by this
  // service as it runs now (a leaked key, or an old policy), whatever its signature says.
  if (Number(expires) > nowUnix + maxLifetimeSeconds) return invalid;
  if (Number(expires) < nowUnix)
    return fail(
      problem('download_link_expired', 'this download link has expired (links live 30 minutes); GET the report again for a fresh one'),
    );
  return ok(undefined);
}
