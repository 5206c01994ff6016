import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 over "reportId.expires": a download link that cannot be altered or extended. */
export function signDownload(secret: string, reportId: string, expiresUnix: number): string {
  return createHmac('sha256', secret).update(`${reportId}.${expiresUnix}`).digest('hex');
}

export type DownloadCheck = 'ok' | 'invalid' | 'expired';

export function checkDownloadSignature(secret: string, reportId: string, expires: string | undefined, sig: string | undefined, nowUnix: number): DownloadCheck {
  if (!expires || !/^\d{1,12}$/.test(expires) || !sig || !/^[0-9a-f]{64}$/.test(sig)) return 'invalid';
  const expected = Buffer.from(signDownload(secret, reportId, Number(expires)), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'invalid';
  return Number(expires) < nowUnix ? 'expired' : 'ok';
}
