import { describe, expect, it } from 'vitest';
import { hostOf, pinLookup, resolveAddresses } from '../../src/platform/pinned-lookup.js';

/** The one pinned lookup the webhook sender and the report downloader connect with. */
describe('pinned lookup', () => {
  it('answers the checked address whatever the name, in both of node’s lookup forms', () => {
    const lookup = pinLookup({ address: '203.0.113.7', family: 4 });
    const one: unknown[] = [];
    const all: unknown[] = [];
    lookup('elsewhere.example', {}, (...args: unknown[]) => one.push(...args));
    lookup('elsewhere.example', { all: true }, (...args: unknown[]) => all.push(...args));
    expect(one).toEqual([null, '203.0.113.7', 4]);
    expect(all).toEqual([null, [{ address: '203.0.113.7', family: 4 }]]);
  });

  it('resolves names only: an address (IPv6 without brackets) is its own answer', async () => {
    const asked: string[] = [];
    const resolve = async (host: string) => {
      asked.push(host);
      return [{ address: '198.51.100.1', family: 4 }];
    };
    expect(await resolveAddresses(hostOf(new URL('https://[::1]:8443/x')), resolve)).toEqual([{ address: '::1', family: 6 }]);
    expect(await resolveAddresses(hostOf(new URL('https://files.example/x')), resolve)).toEqual([{ address: '198.51.100.1', family: 4 }]);
    expect(asked).toEqual(['files.example']);
  });
});
