import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const TOKEN = 'partner-admin-access-token-0123456789';
const REFRESH = 'integration-refresh-token-0123456789';

describe('upstream (Webex Wholesale) configuration', () => {
  it.each([
    [{}, { mode: 'standalone' }],
    [{ WEBEX_WHOLESALE_TOKEN: TOKEN }, { mode: 'upstream', kind: 'token', token: TOKEN }],
    [
      { WEBEX_CLIENT_ID: 'cid', WEBEX_CLIENT_SECRET: 'csecret', WEBEX_REFRESH_TOKEN: REFRESH },
      { mode: 'upstream', kind: 'oauth', clientId: 'cid', clientSecret: 'csecret', refreshToken: REFRESH },
    ],
    [{ WEBEX_WHOLESALE_TOKEN: '' }, { mode: 'standalone' }],
  ])('%j runs %j', (env, expected) => {
    expect(loadConfig(env).UPSTREAM).toEqual(expected);
  });

  it('defaults the API to https://webexapis.com/v1 and drops a trailing slash', () => {
    expect(loadConfig({}).WEBEX_WHOLESALE_API_URL).toBe('https://webexapis.com/v1');
    expect(loadConfig({ WEBEX_WHOLESALE_API_URL: 'http://127.0.0.1:9/v1/' }).WEBEX_WHOLESALE_API_URL).toBe('http://127.0.0.1:9/v1');
  });

  it.each([
    [{ WEBEX_WHOLESALE_API_URL: 'ftp://x' }, /WEBEX_WHOLESALE_API_URL: must be an http\(s\) URL/],
    [{ WEBEX_WHOLESALE_TOKEN: 'short' }, /WEBEX_WHOLESALE_TOKEN: must be a Webex access token/],
    [{ WEBEX_CLIENT_ID: 'cid' }, /WEBEX_CLIENT_SECRET, WEBEX_REFRESH_TOKEN: required with WEBEX_CLIENT_ID/],
    [{ WEBEX_CLIENT_ID: 'cid', WEBEX_CLIENT_SECRET: 's', WEBEX_REFRESH_TOKEN: REFRESH, WEBEX_WHOLESALE_TOKEN: TOKEN }, /not both/],
    [{ WEBEX_WHOLESALE_TIMEOUT_MS: '0' }, /WEBEX_WHOLESALE_TIMEOUT_MS/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never shows a credential in its message', () => {
    const secret = 'sh0rt';
    expect(() => loadConfig({ WEBEX_WHOLESALE_TOKEN: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
    expect(() => loadConfig({ WEBEX_CLIENT_SECRET: 'client-secret-value' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('client-secret-value') }),
    );
  });
});
