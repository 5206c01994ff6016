/**
 * Webex ids are unpadded base64 of `ciscospark://us/<KIND>/<uuid>`; ours have the same shape so a
 * back-office system cannot tell them apart from Webex's.
 */
export type WebexIdKind =
  | 'ORGANIZATION'
  | 'PEOPLE'
  | 'WHOLESALE_CUSTOMER'
  | 'WHOLESALE_SUBSCRIBER'
  | 'LOCATION'
  | 'SUBSCRIPTION'
  | 'WORKSPACE'
  | 'LICENSE';

export function toWebexId(kind: WebexIdKind, uuid: string): string {
  return base64(`ciscospark://us/${kind}/${uuid}`);
}

/**
 * The desk's own license id for a package of a customer org (standalone: there is no Webex license to
 * name): stable for the org and package, shaped like Webex's.
 */
export function deskLicenseId(orgId: string, packageName: string): string {
  return toWebexId('LICENSE', `${orgId}:${packageName}`);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** ASCII-only base64 without padding (ids are ASCII), written out to stay free of Buffer. */
function base64(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : -1;
    out += ALPHABET[a >> 2];
    out += ALPHABET[((a & 3) << 4) | (b < 0 ? 0 : b >> 4)];
    if (b >= 0) out += ALPHABET[((b & 15) << 2) | (c < 0 ? 0 : c >> 6)];
    if (c >= 0) out += ALPHABET[c & 63];
  }
  return out;
}
