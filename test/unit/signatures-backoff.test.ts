import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter } from '../../src/domain/backoff.js';
import type { Result } from '../../src/domain/problems.js';
import { signatureFailure, signEvent, verifyEventRequest, verifyWebexRequest } from '../../src/webhooks/verify-signature.js';

/** The Result as the table states it: ok, or which check failed. */
const outcome = (r: Result<void>) => (r.ok ? { ok: true } : { ok: false, reason: signatureFailure(r.problems) });

const body = Buffer.from('{"id":"evt-1","type":"customer.provision"}');
const NOW = 1_780_000_000;

describe('verifyEventSignature (Webhook-Signature: t=…,v1=…)', () => {
  const secret = 'current-secret-0123456789';
  const old = 'previous-secret-0123456789';
  const sig = (t: number, s = secret, b: Buffer = body) => `t=${t},v1=${createHmac('sha256', s).update(`${t}.`).update(b).digest('hex')}`;
  it.each<[string, string | undefined, string[], { ok: boolean; reason?: string }]>([
    ['a good signature', sig(NOW), [secret], { ok: true }],
    ['signed with the previous secret during rotation', sig(NOW, old), [secret, old], { ok: true }],
    ['two v1 values, one good', `${sig(NOW)},v1=${'0'.repeat(64)}`, [secret], { ok: true }],
    ['4 minutes old', sig(NOW - 240), [secret], { ok: true }],
    ['missing', undefined, [secret], { ok: false, reason: 'missing' }],
    ['empty', '', [secret], { ok: false, reason: 'missing' }],
    ['no timestamp', `v1=${'a'.repeat(64)}`, [secret], { ok: false, reason: 'malformed' }],
    ['no v1', `t=${NOW}`, [secret], { ok: false, reason: 'malformed' }],
    ['garbage', 'sha256=abc', [secret], { ok: false, reason: 'malformed' }],
    ['wrong secret', sig(NOW, 'someone-else-0123456789'), [secret], { ok: false, reason: 'mismatch' }],
    ['retired secret', sig(NOW, old), [secret], { ok: false, reason: 'mismatch' }],
    ['body changed', sig(NOW, secret, Buffer.from('{"id":"evt-2"}')), [secret], { ok: false, reason: 'mismatch' }],
    ['timestamp changed', sig(NOW).replace(`t=${NOW}`, `t=${NOW - 1}`), [secret], { ok: false, reason: 'mismatch' }],
    ['non-hex signature', `t=${NOW},v1=zz${'a'.repeat(62)}`, [secret], { ok: false, reason: 'mismatch' }],
    ['stale: 6 minutes old', sig(NOW - 360), [secret], { ok: false, reason: 'stale' }],
    ['future: 6 minutes ahead', sig(NOW + 360), [secret], { ok: false, reason: 'future' }],
  ])('%s', (_name, header, secrets, expected) => {
    expect(outcome(verifyEventRequest({ signature: header, body, secrets, now: NOW }))).toEqual(expected);
  });
  it('verifies what signEvent produces', () => {
    expect(verifyEventRequest({ signature: signEvent(body.toString(), secret, NOW), body, secrets: [secret], now: NOW })).toEqual({
      ok: true,
    });
  });
});

describe('verifyWebexSignature (X-Spark-Signature)', () => {
  const secret = 'webex-webhook-secret';
  const good = createHmac('sha1', secret).update(body).digest('hex');
  it.each<[string, string | undefined, string[], { ok: boolean; reason?: string }]>([
    ['good', good, [secret], { ok: true }],
    ['upper-case hex', good.toUpperCase(), [secret], { ok: true }],
    ['rotation', good, ['new-secret', secret], { ok: true }],
    ['missing', undefined, [secret], { ok: false, reason: 'missing' }],
    ['wrong length', good.slice(2), [secret], { ok: false, reason: 'malformed' }],
    ['wrong secret', createHmac('sha1', 'other').update(body).digest('hex'), [secret], { ok: false, reason: 'mismatch' }],
  ])('%s', (_n, header, secrets, expected) => expect(outcome(verifyWebexRequest({ signature: header, body, secrets }))).toEqual(expected));
  it('hashes the raw bytes, not a re-serialisation', () => {
    const raw = Buffer.from('{"a":"\\u00e9"}');
    const sigRaw = createHmac('sha1', secret).update(raw).digest('hex');
    expect(verifyWebexRequest({ signature: sigRaw, body: raw, secrets: [secret] }).ok).toBe(true);
    expect(JSON.stringify(JSON.parse(raw.toString()))).not.toBe(raw.toString());
  });
});

describe('signature checks answer in the Problem dialect', () => {
  const secret = 'current-secret-0123456789';
  const sign = (t: number) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
  it('passes as ok with no value', () => {
    expect(verifyEventRequest({ signature: sign(NOW), body, secrets: [secret], now: NOW })).toStrictEqual({ ok: true, value: undefined });
  });
  it.each<[string, string | undefined, string, string]>([
    ['missing', undefined, 'signature_missing', 'the Webhook-Signature header is missing'],
    ['malformed', 'v1=abc', 'signature_malformed', 'the Webhook-Signature header is not "t=<unix seconds>,v1=<hex HMAC-SHA256>"'],
    [
      'mismatch',
      `t=${NOW},v1=${'0'.repeat(64)}`,
      'signature_mismatch',
      'the signature does not match the body (wrong secret, or the body changed in transit)',
    ],
    ['stale', sign(NOW - 301), 'signature_stale', 'the signature timestamp is more than 5 minutes old; sign at send time'],
    ['future', sign(NOW + 301), 'signature_future', 'the signature timestamp is more than 5 minutes in the future; check the sender clock'],
  ])('refuses %s with one problem naming it', (_n, signature, code, message) => {
    expect(verifyEventRequest({ signature, body, secrets: [secret], now: NOW })).toStrictEqual({
      ok: false,
      problems: [{ code, message }],
    });
  });
  it('honours a custom tolerance', () => {
    expect(verifyEventRequest({ signature: sign(NOW - 30), body, secrets: [secret], now: NOW, toleranceSeconds: 10 })).toMatchObject({
      ok: false,
      problems: [{ code: 'signature_stale' }],
    });
  });
  it.each<[string, string | undefined, string]>([
    ['missing', undefined, 'signature_missing'],
    ['malformed', 'abc', 'signature_malformed'],
    ['mismatch', '0'.repeat(40), 'signature_mismatch'],
  ])('Webex: refuses %s with one problem naming it', (_n, signature, code) => {
    const r = verifyWebexRequest({ signature, body, secrets: ['webex-webhook-secret'] });
    expect(r).toMatchObject({ ok: false, problems: [{ code }] });
    expect(r.ok ? [] : r.problems).toHaveLength(1);
  });
});

describe('backoff and Retry-After', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [10, 0, 30_000],
    [30, 1, 60_000],
  ])('attempt %i, random %f → %i ms', (attempt, random, ms) =>
    expect(backoffMs(attempt, random, { baseMs: 1000, capMs: 60_000 })).toBe(ms),
  );
  const now = new Date('2026-06-15T12:00:00Z');
  it.each<[string | null, number | undefined]>([
    ['7', 7000],
    ['0', 0],
    ['100000', 3_600_000],
    ['Mon, 15 Jun 2026 12:00:30 GMT', 30_000],
    ['Mon, 15 Jun 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('Retry-After %j → %j ms', (header, ms) => expect(parseRetryAfter(header, now, 3_600_000)).toBe(ms));
});
