import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UpstreamDownloadError } from '../../src/ports.js';
import { createReportDownloader } from '../../src/webex/report-download.js';

/** The error a download ends with, or undefined when it read to the end. */
async function failureOf(chunks: AsyncIterable<Uint8Array>): Promise<UpstreamDownloadError | undefined> {
  try {
    for await (const _ of chunks);
    return undefined;
  } catch (e) {
    return e as UpstreamDownloadError;
  }
}

describe("a billing report's tempDownloadURL is fetched only where it is safe", () => {
  // Every name resolves where the test says; nothing here reaches the network unless a test serves it.
  const resolvingTo = (address: string) =>
    createReportDownloader({ allowedHosts: [], idleTimeoutMs: 1_000, resolve: async () => [{ address, family: 4 }] });

  it.each([
    [
      'a name that resolves to a private address',
      'https://reports.example/x.csv',
      '10.1.2.3',
      /resolved to 10\.1\.2\.3, not a public address \(private\)/,
    ],
    ['the metadata address in another spelling', 'https://0xa9fea9fe/latest/meta-data', '169.254.169.254', /not a public address/],
    ['plain http to a public host', 'http://reports.example/x.csv', '93.184.216.34', /http: is not https/],
    ['credentials in the URL', 'https://user:pw@reports.example/x.csv', '93.184.216.34', /must not carry credentials/],
    ['localhost', 'https://localhost/x.csv', '127.0.0.1', /this machine or an internal service/],
  ])('refuses %s', async (_name, url, address, why) => {
    const e = await failureOf(resolvingTo(address)(url));
    expect(e).toBeInstanceOf(UpstreamDownloadError);
    expect(e!.kind).toBe('refused');
    expect(e!.message).toMatch(why);
    expect(e!.message).not.toMatch(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('follows no redirect, and sends no Authorization header, to an allow-listed host', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/moved.csv') res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      else res.writeHead(200, { 'content-type': 'text/csv' }).end('A,B\r\n1,2\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const download = createReportDownloader({ allowedHosts: ['127.0.0.1'], idleTimeoutMs: 5_000 });
      let text = '';
      for await (const chunk of download(`${base}/report.csv?Signature=x`)) text += Buffer.from(chunk).toString();
      expect(text).toBe('A,B\r\n1,2\r\n');
      const moved = await failureOf(download(`${base}/moved.csv`));
      expect(moved).toMatchObject({ kind: 'failed', message: expect.stringMatching(/answered 302 \(a redirect, not followed\)/) });
      expect(seen).toEqual([undefined, undefined]);
    } finally {
      server.close();
    }
  });
});
