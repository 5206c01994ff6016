import { webexErrorBodySchema } from '../contracts/webex-wholesale.js';
import type { Logger } from '../logger.js';
import type { TimerClock } from '../platform/timer-clock.js';
import type { UpstreamLastError, UpstreamOutcome, UpstreamState, UpstreamStatus } from '../ports.js';
import type { UpstreamFault } from './wholesale-breaker.js';
import { answerLine, CallFailed, type FailedDetails, type Middleware } from './wholesale-call.js';

/** After the last call that failed for want of Webex (5xx, no answer, 429 past the waits), `degraded` for this long. */
const DEGRADED_FOR_MS = 5 * 60_000;

/** The connection's standing as calls end: counts, the last error and success, what /v1/upstream/status shows. */
export interface UpstreamHealth {
  /** One attempt left (the status's `calls`). */
  countSend(): void;
  /** Webex failed an attempt: the last error, and degraded for a while. */
  noteFault(fault: UpstreamFault): void;
  /** One call's end, counted and observed; `failed` (when not ok) becomes the last error. */
  record(operation: string, outcome: UpstreamOutcome, seconds: number, failed?: FailedDetails): void;
  noteTokenCheck(outcome: UpstreamOutcome): void;
  lastError(): UpstreamLastError | null;
  /** The counted part of the status; the caller adds what the circuit and the slots say. */
  status(
    circuit: NonNullable<UpstreamStatus['circuit']>,
  ): Pick<UpstreamStatus, 'state' | 'calls' | 'lastError' | 'lastSuccessAt' | 'outcomes' | 'tokenCheck'>;
}

export function createUpstreamHealth(opts: {
  clock: TimerClock;
  observe?: ((operation: string, outcome: UpstreamOutcome, seconds: number) => void) | undefined;
}): UpstreamHealth {
  const now = () => opts.clock.now();
  let calls = 0;
  let lastError: UpstreamLastError | null = null;
  let lastSuccessAt: string | null = null;
  /** The token's standing from the last answer that said anything about it: refused until a call succeeds. */
  let tokenRefused = false;
  let lastTroubleAt = 0;
  let tokenCheck: UpstreamStatus['tokenCheck'] = null;
  const outcomes: Record<UpstreamOutcome, number> = { ok: 0, unauthorized: 0, refused: 0, rate_limited: 0, unavailable: 0 };
  return {
    countSend() {
      calls += 1;
    },
    noteFault(fault) {
      lastTroubleAt = now().getTime();
      lastError = { at: now().toISOString(), outcome: 'unavailable', errorCode: null, ...fault };
    },
    record(operation, outcome, seconds, failed) {
      outcomes[outcome] += 1;
      opts.observe?.(operation, outcome, seconds);
      if (outcome === 'ok') {
        lastSuccessAt = now().toISOString();
        tokenRefused = false;
        return;
      }
      if (outcome === 'unauthorized') tokenRefused = true;
      // Webex read the request to refuse it, so it accepted the token.
      if (outcome === 'refused') tokenRefused = false;
      if (outcome === 'rate_limited' || outcome === 'unavailable') lastTroubleAt = now().getTime();
      if (failed) lastError = { at: now().toISOString(), outcome, ...failed };
    },
    noteTokenCheck(outcome) {
      tokenCheck = { at: now().toISOString(), outcome };
    },
    lastError: () => lastError,
    status(circuit) {
      const state: UpstreamState = tokenRefused
        ? 'unauthorized'
        : circuit.state !== 'closed'
          ? 'unavailable'
          : circuit.consecutiveFailures > 0 || now().getTime() - lastTroubleAt < DEGRADED_FOR_MS
            ? 'degraded'
            : 'ok';
      return { state, calls, lastError, lastSuccessAt, outcomes: { ...outcomes }, tokenCheck };
    },
  };
}

/** 401 (after any refresh) or 403 (a scope missing): Webex refuses the desk's credentials, not the request. */
export const isUnauthorized = (status: number) => status === 401 || status === 403;

/** Webex's error body (message, first errorCode) of an answer, read from a copy so the caller still has it. */
async function errorOf(res: Response): Promise<{ errorCode: number | null; message: string | null }> {
  const body = webexErrorBodySchema.safeParse(
    await res
      .clone()
      .json()
      .catch(() => undefined),
  );
  if (!body.success) return { errorCode: null, message: null };
  const first = body.data.errors?.[0];
  return { errorCode: first?.errorCode ?? null, message: body.data.message ?? first?.description ?? null };
}

/**
 * The outermost layer: classifies how each logical call ended (ok, unauthorized, refused,
 * rate_limited, unavailable), records it in the health, and turns a failure into the UpstreamError
 * the caller gets. A 404 is an answer the desk acts on (gone, or not there yet), not a failure.
 */
export const recordOutcomes =
  (opts: { health: UpstreamHealth; clock: TimerClock; log: Logger; tokenKind: 'token' | 'oauth' }): Middleware =>
  (next) =>
  async (call) => {
    const started = opts.clock.now().getTime();
    const seconds = () => (opts.clock.now().getTime() - started) / 1000;
    let res: Response;
    try {
      res = await next(call);
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      opts.health.record(call.operation, error.outcome, seconds(), error.opts.failed);
      throw error.error;
    }
    const line = answerLine(call, res, opts.clock.now().getTime());
    const { method, path } = call;
    if (res.status >= 500) {
      opts.health.record(call.operation, 'unavailable', seconds());
      return res;
    }
    if (isUnauthorized(res.status)) {
      const said = await errorOf(res);
      opts.log.error(
        line,
        opts.tokenKind === 'oauth'
          ? `Webex Wholesale refused the access token (${res.status}): check the integration (WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET, WEBEX_REFRESH_TOKEN) and its scopes`
          : `Webex Wholesale refused the access token (${res.status}): set WEBEX_WHOLESALE_TOKEN to a valid partner administrator's token`,
      );
      opts.health.record(call.operation, 'unauthorized', seconds(), {
        status: res.status,
        errorCode: said.errorCode,
        message: `${method} ${path}: ${res.status} ${said.message ?? (res.status === 401 ? 'the access token was refused' : 'a scope is missing')}`,
        trackingId: line.trackingId,
      });
      return res;
    }
    if (res.status >= 400 && res.status !== 404) {
      // A refusal of this request (Webex answered): the connection is fine, the request is not.
      const said = await errorOf(res);
      opts.health.record(call.operation, 'refused', seconds(), {
        status: res.status,
        errorCode: said.errorCode,
        message: `${method} ${path}: ${res.status} ${said.message ?? ''}`.trim(),
        trackingId: line.trackingId,
      });
    } else opts.health.record(call.operation, 'ok', seconds());
    opts.log.info(line, 'Webex Wholesale call');
    return res;
  };
