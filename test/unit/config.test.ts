import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      PARTNER_NAME: 'Demo Partner',
      LOG_LEVEL: 'info',
      PUBLIC_URL: 'http://localhost:3000',
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: '8080' }, { PORT: 8080, PUBLIC_URL: 'http://localhost:8080' }],
    [{ PORT: '' }, { PORT: 3000 }],
    [{ PORT: '0' }, { PORT: 0 }],
    [{ DATABASE_URL: 'postgres://u@h:5432/db' }, { DATABASE_URL: 'postgres://u@h:5432/db' }],
    [{ DATABASE_URL: 'postgresql://h/db' }, { DATABASE_URL: 'postgresql://h/db' }],
    [{ PUBLIC_URL: 'https://desk.example.com/' }, { PUBLIC_URL: 'https://desk.example.com' }],
    [
      { LOG_LEVEL: 'debug', PARTNER_NAME: '  Acme Telecom ' },
      { LOG_LEVEL: 'debug', PARTNER_NAME: 'Acme Telecom' },
    ],
    [{ ADMIN_API_TOKEN: 'x'.repeat(24) }, { ADMIN_API_TOKEN: 'x'.repeat(24) }],
    [{}, { TASK_LEASE_MS: 15_000, TASK_LEASE_RENEW_MS: 5_000 }],
    [{ TASK_LEASE_MS: '5000' }, { TASK_LEASE_MS: 5_000, TASK_LEASE_RENEW_MS: 1_666 }],
    [
      { TASK_LEASE_MS: '60000', TASK_LEASE_RENEW_MS: '10000' },
      { TASK_LEASE_MS: 60_000, TASK_LEASE_RENEW_MS: 10_000 },
    ],
    [{}, { OIDC_ALLOW_MISSING_EMAIL_VERIFIED: false, RATE_LIMIT_SIGN_INS: 30 }],
    [{ OIDC_ALLOW_MISSING_EMAIL_VERIFIED: 'true' }, { OIDC_ALLOW_MISSING_EMAIL_VERIFIED: true }],
    [{}, { HEAP_GROWING_PERCENT: 50 }],
    [{ HEAP_GROWING_PERCENT: '0' }, { HEAP_GROWING_PERCENT: 0 }],
    [{ HEAP_GROWING_PERCENT: '100' }, { HEAP_GROWING_PERCENT: 100 }],
  ])('accepts %j', (env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: must be a whole number/],
    [{ PORT: '70000' }, /PORT: .*between 1 and 65535 \(or 0: any free port\)/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: .*postgres:\/\//],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL: .*http\(s\) URL/],
    [{ ADMIN_API_TOKEN: 'short' }, /ADMIN_API_TOKEN: must be at least 24 characters/],
    [{ WORKER_POLL_MS: '-5' }, /WORKER_POLL_MS/],
    [{ TASK_LEASE_MS: '500' }, /TASK_LEASE_MS: must be at least 1000/],
    [{ TASK_LEASE_RENEW_MS: '8000' }, /TASK_LEASE_RENEW_MS: must be at most half of TASK_LEASE_MS \(15000\)/],
    [{ OIDC_ALLOW_MISSING_EMAIL_VERIFIED: 'yes' }, /OIDC_ALLOW_MISSING_EMAIL_VERIFIED: must be true or false/],
    [{ WEBEX_SYNC_SCHEDULE: 'every night' }, /WEBEX_SYNC_SCHEDULE: must be a cron expression/],
    [{ HEAP_GROWING_PERCENT: '50%' }, /HEAP_GROWING_PERCENT: must be a whole number of percent between 0 \(V8 decides\) and 300/],
    [{ HEAP_GROWING_PERCENT: '301' }, /HEAP_GROWING_PERCENT: must be between 0 \(V8 decides\) and 300/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names every bad variable at once and never echoes a token', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'nope', ADMIN_API_TOKEN: 'secret' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/LOG_LEVEL/);
      expect(message).toMatch(/ADMIN_API_TOKEN/);
      expect(message).not.toMatch(/secret/);
    }
  });

  it.each([
    [
      'a malformed DATABASE_URL with a password',
      { DATABASE_URL: 'mysql://desk:Sup3rS3cretPw@db.internal/desk' },
      'Sup3rS3cretPw',
      /DATABASE_URL: must be a postgres/,
    ],
    [
      'a short WEBEX_WEBHOOK_SECRET',
      { WEBEX_WEBHOOK_SECRET: 'tooShortSecr' },
      'tooShortSecr',
      /WEBEX_WEBHOOK_SECRET: must be at least 16 characters/,
    ],
    ['a short EVENTS_SECRETS entry', { EVENTS_SECRETS: 'abcdefghijklmnopqrst,shortOne' }, 'shortOne', /EVENTS_SECRETS/],
    ['a bad PORT', { PORT: 'p0rtValue' }, 'p0rtValue', /PORT: must be a whole number/],
  ])('names the variable and the problem, never the value, for %s', (_name, env, value, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).not.toThrow(value);
  });
});
