import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../src/ports.js';
import { createWholesaleClient, operationOf } from '../../src/webex/wholesale-client.js';
import { createFixedToken } from '../../src/webex/wholesale-tokens.js';

/** Every Webex answer is classified (#25): unauthorized, refused, rate_limited, unavailable, or ok. */
function clientAnswering(status: number, body: unknown = {}) {
  const observed: [string, string][] = [];
  const client = createWholesaleClient({
    apiUrl: 'http://webex.test/v1',
    tokens: createFixedToken('t'),
    logger: pino({ level: 'silent' }),
    timeoutMs: 1_000,
    concurrency: 1,
    maxAttempts: 1,
    maxWaits: 0,
    backoff: { baseMs: 1, capMs: 1 },
    fetch: async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', trackingid: 'TRACK-1', 'retry-after': '0' },
      }),
    observe: (operation, outcome) => observed.push([operation, outcome]),
  });
  return { client, observed };
}

const webexError = (errorCode: number, description: string) => ({
  message: description,
  errors: [{ errorCode, description }],
  trackingId: 'TRACK-1',
});

describe('classifying Webex answers', () => {
  it.each([
    [401, 'unauthorized', 'unauthorized'],
    [403, 'unauthorized', 'unauthorized'],
    [400, 'rejected', 'refused'],
    [429, 'rate_limited', 'rate_limited'],
    [503, 'unavailable', 'unavailable'],
  ] as const)('%i is %s (outcome %s), counted, observed and kept as the last error', async (status, kind, outcome) => {
    const { client, observed } = clientAnswering(status, webexError(status === 400 ? 10010 : status, 'Webex says no.'));
    const error = (await client.findCustomerByExternalId('crm-1').catch((e: unknown) => e)) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.kind).toBe(kind);
    const s = client.status();
    expect(s.outcomes?.[outcome]).toBe(1);
    expect(observed).toEqual([['GET /wholesale/customers', outcome]]);
    expect(s.lastError).toMatchObject({ outcome, trackingId: 'TRACK-1' });
    if (status !== 429 && status !== 503) expect(s.lastError).toMatchObject({ status, errorCode: status === 400 ? 10010 : status });
    expect(s.state).toBe(outcome === 'unauthorized' ? 'unauthorized' : outcome === 'refused' ? 'ok' : 'degraded');
  });

  it('a success clears a refused token and stamps lastSuccessAt; a 404 the desk acts on is ok', async () => {
    const { client, observed } = clientAnswering(404, webexError(404, 'Not found.'));
    expect(await client.getCustomer('Y2lzY29zcGFyazovL3VzL1dIT0xFU0FMRV9DVVNUT01FUi8x')).toBeUndefined();
    expect(observed).toEqual([['GET /wholesale/customers/{id}', 'ok']]);
    expect(client.status()).toMatchObject({ state: 'ok', lastError: null, lastSuccessAt: expect.any(String) });
  });

  it('the token check at start reports how the call ended and never throws', async () => {
    expect(await clientAnswering(401, webexError(401, 'Bad token.')).client.checkConnection?.()).toMatchObject({
      outcome: 'unauthorized',
      error: { status: 401 },
    });
    const ok = clientAnswering(200, { items: [] }).client;
    expect(await ok.checkConnection?.()).toEqual({ outcome: 'ok', error: null });
    expect(ok.status().tokenCheck).toMatchObject({ outcome: 'ok' });
  });

  it('names operations with ids as {id}, so metrics have one series per operation', () => {
    expect(operationOf('GET', '/wholesale/subscribers/Y2lzY29zcGFyazovL3VzL1NVQi8x')).toBe('GET /wholesale/subscribers/{id}');
    expect(operationOf('POST', '/wholesale/customers/validate')).toBe('POST /wholesale/customers/validate');
    expect(operationOf('POST', '/subscribers/Y2lzY29zcGFyazovL3VzL1NVQi8x/emails/consentMove')).toBe(
      'POST /subscribers/{id}/emails/consentMove',
    );
  });
});

describe('while Webex refuses the token', () => {
  it('checks the token again every interval while the state is unauthorized, until stopped', async () => {
    const { recheckWhileRefused } = await import('../../src/webex/check-upstream-at-start.js');
    vi.useFakeTimers();
    try {
      const { client } = clientAnswering(401, webexError(401, 'Bad token.'));
      await client.findCustomerByExternalId('x').catch(() => undefined);
      let answer = 401;
      const checks: number[] = [];
      const port = {
        ...client,
        status: () => client.status(),
        checkConnection: async () => {
          checks.push(answer);
          return { outcome: answer === 200 ? ('ok' as const) : ('unauthorized' as const), error: null };
        },
      };
      const stop = recheckWhileRefused(port, pino({ level: 'silent' }), 1_000);
      await vi.advanceTimersByTimeAsync(2_500);
      expect(checks).toEqual([401, 401]);
      answer = 200;
      stop();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(checks).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
