import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Connecting to an address a third party names (a webhook receiver, a report's download URL) without
 * DNS switching it between the check and the connection: resolve the host once, check every address
 * (src/domain/webhook-targets.ts), then connect with a lookup pinned to the checked address. TLS still
 * verifies the host name.
 */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address (dns.lookup with all: true); tests inject their own. */
export type ResolveHost = (host: string) => Promise<ResolvedAddress[]>;

export const resolveWithDns: ResolveHost = (host) => dnsLookup(host, { all: true });

/** The host of a URL as an address or a name (an IPv6 literal without its brackets). */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Every address of `host`: itself when it is an address, else what `resolve` answers (which may throw). */
export const resolveAddresses = async (host: string, resolve: ResolveHost): Promise<ResolvedAddress[]> =>
  isIP(host) ? [{ address: host, family: isIP(host) }] : resolve(host);

/** A lookup for http(s).request that answers the checked address, whatever the host name resolves to now. */
export function pinLookup(target: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
}
