import http from 'node:http';
import https from 'node:https';
import { allowListed, parseWebhookAllowList, refuseResolvedAddresses, refuseWebhookUrl } from '../domain/webhook-targets.js';
import { hostOf, pinLookup, type ResolvedAddress, type ResolveHost, resolveAddresses, resolveWithDns } from '../platform/pinned-lookup.js';
import { UpstreamDownloadError } from '../ports.js';

export interface ReportDownloadOptions {
  /** WEBEX_DOWNLOAD_ALLOWED_HOSTS: hosts, addresses or CIDR ranges reachable although not public, over http too. */
  allowedHosts: readonly string[];
  /** A connection that sends nothing for this long is abandoned (the file itself may take longer). */
  idleTimeoutMs: number;
  /** Resolves a host name to every address; tests inject their own. */
  resolve?: ResolveHost;
}

/**
 * Fetches a billing report's `tempDownloadURL`. The URL comes from Webex's answer, so it is treated
 * like any address a third party hands us (server-side request forgery): https only; no credentials
 * in it; the host resolved and every address required to be public (not loopback, private,
 * link-local or the cloud metadata address, in any spelling), and the connection made to the address
 * that was checked, so DNS cannot switch it in between; no redirect followed. The Webex token is
 * never sent: the file is on Cisco's content host, and the URL carries its own signature. Hosts in
 * the allow list (an operator's proxy, the tests' loopback fake) skip the address and https checks.
 * The body is handed on chunk by chunk as it arrives, with backpressure: memory follows a chunk.
 */
export function createReportDownloader(opts: ReportDownloadOptions): (url: string) => AsyncIterable<Uint8Array> {
  const allow = parseWebhookAllowList(opts.allowedHosts);
  const resolve = opts.resolve ?? resolveWithDns;
  // The address rules are the outbound webhooks'; only the variable that names exceptions differs.
  const refusal = (why: string) =>
    new UpstreamDownloadError(
      'refused',
      `the report's download URL was not fetched: ${why.replace('WEBHOOK_ALLOWED_HOSTS', 'WEBEX_DOWNLOAD_ALLOWED_HOSTS')}`,
    );

  return async function* download(rawUrl: string): AsyncGenerator<Uint8Array> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw refusal('it is not a URL');
    }
    const host = hostOf(url);
    if (url.protocol !== 'https:' && !(allowListed(host, allow) && url.protocol === 'http:')) throw refusal(`${url.protocol} is not https`);
    const refusedUrl = refuseWebhookUrl(url.toString(), allow);
    if (refusedUrl) throw refusal(refusedUrl.replace(/^url /, ''));
    let addresses: ResolvedAddress[];
    try {
      addresses = await resolveAddresses(host, resolve);
    } catch (e) {
      throw new UpstreamDownloadError('failed', `cannot resolve ${host}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const refusedAddress = refuseResolvedAddresses(
      host,
      addresses.map((a) => a.address),
      allow,
    );
    if (refusedAddress) throw refusal(refusedAddress);
    const target = addresses[0]!;
    const res = await get(url, target, opts.idleTimeoutMs);
    try {
      if (res.statusCode !== 200) {
        const where = res.statusCode && res.statusCode >= 300 && res.statusCode < 400 ? ' (a redirect, not followed)' : '';
        throw new UpstreamDownloadError('failed', `the report's download answered ${res.statusCode}${where}`);
      }
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) yield chunk;
      } catch (e) {
        throw new UpstreamDownloadError('failed', `the report's download broke off: ${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      res.destroy();
    }
  };
}

/** One GET to the checked address: the lookup is pinned to it, whatever the host name resolves to now. */
function get(url: URL, target: ResolvedAddress, idleTimeoutMs: number): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'GET',
        lookup: pinLookup(target),
        agent: false,
        headers: { accept: 'text/csv', 'user-agent': 'WholesaleDesk-Reconciliation/1' },
      },
      resolve,
    );
    req.setTimeout(idleTimeoutMs, () =>
      req.destroy(new UpstreamDownloadError('failed', `the report's download sent nothing for ${idleTimeoutMs} ms`)),
    );
    req.on('error', (e) =>
      reject(e instanceof UpstreamDownloadError ? e : new UpstreamDownloadError('failed', `the report's download failed: ${e.message}`)),
    );
    req.end();
  });
}
