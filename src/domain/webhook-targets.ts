import ipaddr from 'ipaddr.js';

/**
 * Where outbound webhooks may go. Only public unicast addresses are reachable by default: loopback,
 * private, link-local (the cloud metadata address among them), carrier-grade NAT, unique-local,
 * unspecified, multicast, reserved and the IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo)
 * are refused, so a subscription cannot turn the delivery log into a scanner of our own network. An
 * operator allow-list (WEBHOOK_ALLOWED_HOSTS) names the exceptions: host names, addresses or CIDR ranges.
 * Pure parsing: no DNS here; the sender checks every resolved address again before it connects.
 */
export interface WebhookAllowList {
  hosts: ReadonlySet<string>;
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

/** Names that mean this machine or the cloud's metadata service, whatever DNS says. */
const INTERNAL_NAMES = /(^|\.)localhost$|^metadata\.google\.internal$/;

const normaliseHost = (host: string) =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');

/** Parses an address in any form ipaddr.js knows (dotted, hex 0x7f000001, decimal 2130706433, IPv6), mapped IPv6 unwrapped. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const host = normaliseHost(text);
  if (!ipaddr.isValid(host)) return undefined;
  const parsed = ipaddr.parse(host);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** Entries of WEBHOOK_ALLOWED_HOSTS: CIDR ranges, single addresses (as /32 or /128) or host names. */
export function parseWebhookAllowList(entries: readonly string[]): WebhookAllowList {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const raw of entries) {
    const entry = normaliseHost(raw);
    if (!entry) continue;
    if (entry.includes('/') && ipaddr.isValidCIDR(entry)) {
      const [addr, bits] = ipaddr.parseCIDR(entry);
      ranges.push([addr, bits]);
      continue;
    }
    const addr = parseAddress(entry);
    if (addr) ranges.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    else hosts.add(entry);
  }
  return { hosts, ranges };
}

/** Why an address is not a public unicast one (e.g. 'loopback', 'private'), or null when it is public. */
export function classifyWebhookAddress(address: string): string | null {
  const addr = parseAddress(address);
  if (!addr) return 'not an IP address';
  // IPv4-compatible IPv6 (::a.b.c.d, deprecated) embeds an IPv4 address too, yet ipaddr calls it unicast.
  const range = addr.range();
  if (range !== 'unicast') return range;
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).match(ipaddr.IPv6.parse('::'), 96) ? 'ipv4Compatible' : null;
}

export function allowListed(host: string, allow: WebhookAllowList): boolean {
  const name = normaliseHost(host);
  if (allow.hosts.has(name)) return true;
  const addr = parseAddress(name);
  if (!addr) return false;
  return allow.ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

const HOW_TO_ALLOW = 'an operator can allow it by naming the host or address in WEBHOOK_ALLOWED_HOSTS';

/**
 * Checks a subscription's URL as given, before any DNS: http(s) only, no credentials, and a host that
 * is not an internal name or a non-public address (in any spelling the URL parser accepts). Answers
 * why not, or null when it may be registered.
 */
export function refuseWebhookUrl(url: string, allow: WebhookAllowList): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must be an http(s) URL';
  if (parsed.username || parsed.password)
    return 'url must not carry credentials (user:password@); authenticate the request with the signature instead';
  const host = normaliseHost(parsed.hostname);
  if (allowListed(host, allow)) return null;
  if (INTERNAL_NAMES.test(host)) return `url host ${host} is this machine or an internal service; ${HOW_TO_ALLOW}`;
  if (!parseAddress(host)) return null;
  const why = classifyWebhookAddress(host);
  return why === null ? null : `url host ${host} is not a public address (${why}); ${HOW_TO_ALLOW}`;
}

/**
 * Checks the addresses a host name resolved to, just before connecting: every one must be public (or
 * the host or address allow-listed). Answers why not, or null.
 */
export function refuseResolvedAddresses(host: string, addresses: readonly string[], allow: WebhookAllowList): string | null {
  if (addresses.length === 0) return `${host} resolved to no address`;
  if (allowListed(host, allow)) return null;
  if (INTERNAL_NAMES.test(normaliseHost(host))) return `${host} is this machine or an internal service; ${HOW_TO_ALLOW}`;
  for (const address of addresses) {
    if (allowListed(address, allow)) continue;
    const why = classifyWebhookAddress(address);
    if (why !== null) return `${host} resolved to ${address}, not a public address (${why}); ${HOW_TO_ALLOW}`;
  }
  return null;
}

/** A URL as shown back: any user:password@ removed (older subscriptions may carry one). */
export function redactWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
