import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/ports.js';
import { createCircuitBreaker } from '../../src/webex/circuit-breaker.js';
import { createConcurrencyLimit } from '../../src/webex/concurrency-limit.js';
import { guardWithBreaker, type UpstreamFault } from '../../src/webex/wholesale-breaker.js';
import { CallFailed, type Send, startCall } from '../../src/webex/wholesale-call.js';
import { createPacer, paceCalls, waitForRetryAfter } from '../../src/webex/wholesale-pacing.js';
import { retryFailures } from '../../src/webex/wholesale-retry.js';
import { attachToken, refreshTokenOn401 } from '../../src/webex/wholesale-token.js';
import { createFixedToken, type WholesaleTokenSource } from '../../src/webex/wholesale-tokens.js';
import { limitConcurrency, reportNoAnswer } from '../../src/webex/wholesale-transport.js';
import { TestClock } from '../support/test-clock.js';

/** Each layer of the Webex Wholesale client alone, on a test clock, around a scripted Webex. */
const log = pino({ level: 'silent' });
const BASE = 'http://webex.test/v1';
const callOf = (method = 'GET', path = '/wholesale/customers') => startCall(new Request(`${BASE}${path}`, { method }), BASE);
const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });
/** A Webex answering the scripted statuses (or throwing) in turn, counting what it was sent. */
function scripted(...steps: (number | Error)[]): Send & { sent: number } {
  const send = Object.assign(
    async () => {
      const step = steps[Math.min(send.sent, steps.length - 1)]!;
      send.sent += 1;
      if (step instanceof Error) throw step;
      return answer(step);
    },
    { sent: 0 },
  );
  return send;
}
const noAnswer = () => new CallFailed('unavailable', new UpstreamError('unavailable', 'no answer'), { retryable: true });

describe('retry', () => {
  const retry = (clock: TestClock, maxAttempts = 3, mayRetry = () => true) =>
    retryFailures({ maxAttempts, backoff: { baseMs: 100, capMs: 1_000 }, random: () => 0, clock, mayRetry });

  it('repeats an idempotent call after 5xx and no answer, waiting the backoff on the clock, up to maxAttempts', async () => {
    const clock = new TestClock();
    const webex = scripted(503, noAnswer(), 200);
    const t0 = clock.now().getTime();
    const res = await clock.run(retry(clock)(webex)(callOf()));
    expect([res.status, webex.sent]).toEqual([200, 3]);
    // Equal jitter with random 0: half of 100, then half of 200.
    expect(clock.now().getTime() - t0).toBe(150);
  });

  it('answers the last 5xx once the attempts are used up, and never repeats a POST', async () => {
    const clock = new TestClock();
    const get = scripted(503);
    expect((await clock.run(retry(clock, 2)(get)(callOf()))).status).toBe(503);
    expect(get.sent).toBe(2);
    const post = scripted(noAnswer());
    await expect(clock.run(retry(clock)(post)(callOf('POST')))).rejects.toBeInstanceOf(CallFailed);
    expect(post.sent).toBe(1);
  });

  it('stops as soon as the circuit says no', async () => {
    const clock = new TestClock();
    const webex = scripted(503);
    expect((await clock.run(retry(clock, 4, () => false)(webex)(callOf()))).status).toBe(503);
    expect(webex.sent).toBe(1);
  });
});

describe('pacing and Retry-After', () => {
  it('spaces departures 1/ratePerSecond apart on the clock', async () => {
    const clock = new TestClock();
    const pacer = createPacer({ clock, ratePerSecond: 4 });
    const left: number[] = [];
    const send = paceCalls(pacer)(async () => {
      left.push(clock.now().getTime());
      return answer(200);
    });
    await clock.run(Promise.all([send(callOf()), send(callOf()), send(callOf())]));
    expect(left.map((t) => t - left[0]!)).toEqual([0, 250, 500]);
  });

  it('holds every call until Retry-After has passed, then sends this one again', async () => {
    const clock = new TestClock();
    const pacer = createPacer({ clock });
    const webex = scripted(429, 200);
    const chain = waitForRetryAfter({ pacer, clock, maxWaits: 3, log })(paceCalls(pacer)(async (c) => webex(c)));
    const t0 = clock.now().getTime();
    expect((await clock.run(chain(callOf('POST')))).status).toBe(200);
    // scripted answers carry no Retry-After: the default second.
    expect([webex.sent, clock.now().getTime() - t0]).toEqual([2, 1_000]);
  });

  it('reads Retry-After in seconds, and gives up as rate_limited after maxWaits', async () => {
    const clock = new TestClock();
    const pacer = createPacer({ clock });
    const chain = waitForRetryAfter({ pacer, clock, maxWaits: 2, log })(
      paceCalls(pacer)(async () => answer(423, { 'retry-after': '3', trackingid: 'T-1' })),
    );
    const t0 = clock.now().getTime();
    const failed = (await clock.run(chain(callOf())).catch((e: unknown) => e)) as CallFailed;
    expect(failed).toBeInstanceOf(CallFailed);
    expect(failed.outcome).toBe('rate_limited');
    expect(failed.error).toMatchObject({ kind: 'rate_limited', details: { status: 423, trackingId: 'T-1' } });
    expect(clock.now().getTime() - t0).toBe(6_000);
  });
});

describe('circuit breaker', () => {
  function guarded(clock: TestClock, webex: Send) {
    const faults: UpstreamFault[] = [];
    const breaker = createCircuitBreaker({ threshold: 2, openMs: 1_000, now: () => clock.now().getTime() });
    const send = guardWithBreaker({ breaker, onFault: (f) => faults.push(f), clock, log })(webex);
    return { send, breaker, faults };
  }

  it('opens after failures in a row, fails at once while open, lets one trial through after openMs', async () => {
    const clock = new TestClock();
    const webex = scripted(500, 500, 200);
    const { send, breaker, faults } = guarded(clock, webex);
    await send(callOf());
    await send(callOf());
    expect(breaker.state().state).toBe('open');
    expect(faults.map((f) => f.message)).toEqual(['GET /wholesale/customers: 500', 'GET /wholesale/customers: 500']);
    await expect(send(callOf())).rejects.toMatchObject({ outcome: 'unavailable', message: expect.stringMatching(/circuit is open/) });
    expect(webex.sent).toBe(2);
    clock.advance(1_000);
    expect((await send(callOf())).status).toBe(200);
    expect(breaker.state()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('counts a missing answer as a failure, and leaves the circuit alone on 401, 403, 423 and 429', async () => {
    const clock = new TestClock();
    const fault = new CallFailed('unavailable', new UpstreamError('unavailable', 'x'), {
      fault: { message: 'GET /x: connection failed', trackingId: null, status: null },
    });
    const { send, breaker } = guarded(clock, scripted(fault, 401, 403, 423, 429));
    await expect(send(callOf())).rejects.toBe(fault);
    for (let i = 0; i < 4; i += 1) await send(callOf());
    expect(breaker.state().consecutiveFailures).toBe(1);
  });
});

describe('token', () => {
  const oauth = (): WholesaleTokenSource & { invalidated: string[] } => {
    let n = 1;
    const invalidated: string[] = [];
    return {
      kind: 'oauth',
      get: async () => `token-${n}`,
      invalidate(used) {
        invalidated.push(used);
        n += 1;
        return true;
      },
      invalidated,
    };
  };

  it('carries the current token and refreshes once after a 401 to it', async () => {
    const clock = new TestClock();
    const tokens = oauth();
    const seen: (string | undefined)[] = [];
    const webex = scripted(401, 401);
    const send = refreshTokenOn401({ tokens, clock, log })(
      attachToken(tokens)(async (c) => {
        seen.push(c.token);
        return webex(c);
      }),
    );
    expect((await send(callOf())).status).toBe(401);
    expect(seen).toEqual(['token-1', 'token-2']);
    expect(tokens.invalidated).toEqual(['token-1']);
  });

  it('a fixed token’s 401 is the answer; a token source that fails ends the call typed', async () => {
    const clock = new TestClock();
    const fixed = scripted(401);
    expect(
      (await refreshTokenOn401({ tokens: createFixedToken('t'), clock, log })(attachToken(createFixedToken('t'))(fixed))(callOf())).status,
    ).toBe(401);
    expect(fixed.sent).toBe(1);
    const failing = (kind: 'unavailable' | 'rejected'): WholesaleTokenSource => ({
      kind: 'oauth',
      get: async () => {
        throw new UpstreamError(kind, 'refresh failed', { status: kind === 'rejected' ? 400 : 503 });
      },
      invalidate: () => true,
    });
    const down = (await attachToken(failing('unavailable'))(fixed)(callOf()).catch((e: unknown) => e)) as CallFailed;
    expect([down.outcome, down.error.kind, down.opts.fault?.status]).toEqual(['unavailable', 'unavailable', 503]);
    const refused = (await attachToken(failing('rejected'))(fixed)(callOf()).catch((e: unknown) => e)) as CallFailed;
    expect([refused.outcome, refused.error.kind, refused.opts.fault]).toEqual(['unauthorized', 'unauthorized', undefined]);
  });
});

describe('transport', () => {
  it('a call that got no answer is a retryable fault, ambiguous unless idempotent', async () => {
    const clock = new TestClock();
    const send = reportNoAnswer({ timeoutMs: 100, clock, log })(scripted(Object.assign(new Error('t'), { name: 'TimeoutError' })));
    const get = (await send(callOf()).catch((e: unknown) => e)) as CallFailed;
    expect(get.opts).toMatchObject({ retryable: true, fault: { message: 'GET /wholesale/customers: no answer within 100 ms' } });
    expect(get.error.details.ambiguous).toBe(false);
    const post = (await send(callOf('POST')).catch((e: unknown) => e)) as CallFailed;
    expect(post.error.details.ambiguous).toBe(true);
  });

  it('holds a concurrency slot for the whole attempt and frees it on failure', async () => {
    const clock = new TestClock();
    const slots = createConcurrencyLimit(1);
    const send = limitConcurrency(slots)(async () => {
      await clock.sleep(10);
      throw new Error('dropped');
    });
    const both = Promise.allSettled([send(callOf()), send(callOf())]);
    await new Promise((r) => setImmediate(r));
    expect([slots.inFlight(), slots.waiting()]).toEqual([1, 1]);
    await clock.run(both);
    expect([slots.inFlight(), slots.waiting()]).toEqual([0, 0]);
  });
});
