import { describe, expect, it } from 'vitest';
import {
  classifyWebhookAddress,
  parseWebhookAllowList,
  redactWebhookUrl,
  refuseResolvedAddresses,
  refuseWebhookUrl,
} from '../../src/domain/webhook-targets.js';

const none = parseWebhookAllowList([]);

describe('classifyWebhookAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['169.254.0.1', 'linkLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::1', '6to4'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'ipv4Compatible'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ])('%s is %s', (address, range) => {
    expect(classifyWebhookAddress(address)).toBe(range);
  });

  it.each(['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '11.0.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(classifyWebhookAddress(address)).toBeNull();
    },
  );

  it('says a name is no address', () => {
    expect(classifyWebhookAddress('example.com')).toBe('not an IP address');
  });
});

describe('refuseWebhookUrl (registration, no DNS)', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://127.0.0.1:8080/hook',
    'http://[::1]/hook',
    'http://0x7f000001/hook',
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
    'http://127.1/hook',
    'http://localhost/hook',
    'http://LOCALHOST./hook',
    'http://api.localhost/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.0.10/hook',
    'http://0.0.0.0/hook',
    'http://[::]/hook',
    'http://[fc00::1]/hook',
    'http://[fd12:3456::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://[::127.0.0.1]/hook',
    'http://[2001:db8::1]/hook',
    'http://100.64.0.1/hook',
    'https://user:pass@hooks.example.com/hook',
    'https://user@hooks.example.com/hook',
    'ftp://hooks.example.com/hook',
  ])('refuses %s', (url) => {
    expect(refuseWebhookUrl(url, none)).toEqual(expect.any(String));
  });

  it('says why and how to allow it', () => {
    expect(refuseWebhookUrl('http://0x7f000001/x', none)).toBe(
      'url host 127.0.0.1 is not a public address (loopback); an operator can allow it by naming the host or address in WEBHOOK_ALLOWED_HOSTS',
    );
  });

  it.each(['https://hooks.example.com/hook', 'http://8.8.8.8:8080/x', 'https://[2606:4700::1]/x'])('accepts %s', (url) => {
    expect(refuseWebhookUrl(url, none)).toBeNull();
  });

  it('accepts what the allow-list names: a host, an address, a CIDR range', () => {
    const allow = parseWebhookAllowList(['localhost', '127.0.0.1', '10.0.0.0/8', '::1']);
    for (const url of ['http://localhost:3000/x', 'http://127.0.0.1/x', 'http://0x7f000001/x', 'http://10.9.8.7/x', 'http://[::1]/x'])
      expect(refuseWebhookUrl(url, allow), url).toBeNull();
    for (const url of ['http://127.0.0.2/x', 'http://192.168.1.1/x', 'http://169.254.169.254/x'])
      expect(refuseWebhookUrl(url, allow), url).toEqual(expect.any(String));
    // Credentials are refused whatever the allow-list says.
    expect(refuseWebhookUrl('http://u:p@127.0.0.1/x', allow)).toMatch(/credentials/);
  });
});

describe('refuseResolvedAddresses (delivery, after DNS)', () => {
  it('refuses a name when any answer is not public', () => {
    expect(refuseResolvedAddresses('hooks.example.com', ['93.184.216.34'], none)).toBeNull();
    expect(refuseResolvedAddresses('hooks.example.com', ['93.184.216.34', '127.0.0.1'], none)).toMatch(
      /resolved to 127\.0\.0\.1, not a public address \(loopback\)/,
    );
    expect(refuseResolvedAddresses('hooks.example.com', ['::ffff:169.254.169.254'], none)).toMatch(/linkLocal/);
    expect(refuseResolvedAddresses('hooks.example.com', [], none)).toMatch(/no address/);
  });

  it('allows answers the allow-list names, by host or by address', () => {
    expect(refuseResolvedAddresses('hooks.internal', ['10.0.0.5'], parseWebhookAllowList(['hooks.internal']))).toBeNull();
    expect(refuseResolvedAddresses('hooks.internal', ['10.0.0.5'], parseWebhookAllowList(['10.0.0.0/24']))).toBeNull();
    expect(refuseResolvedAddresses('hooks.internal', ['10.0.1.5'], parseWebhookAllowList(['10.0.0.0/24']))).toEqual(expect.any(String));
  });
});

describe('redactWebhookUrl', () => {
  it('removes credentials and leaves other URLs alone', () => {
    expect(redactWebhookUrl('https://user:secret@hooks.example.com/x?a=1')).toBe('https://hooks.example.com/x?a=1');
    expect(redactWebhookUrl('https://hooks.example.com/x')).toBe('https://hooks.example.com/x');
  });
});
