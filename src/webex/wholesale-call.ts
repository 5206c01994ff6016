import type { UpstreamError, UpstreamLastError, UpstreamOutcome } from '../ports.js';

/** Methods whose repetition changes nothing beyond the first (Webex applies a PUT's complete state). */
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE', 'HEAD']);

/**
 * One logical call to Webex on its way through the middleware: the request, and what the layers
 * note about it as it is attempted, waited on and repeated (each layer owns its own fields).
 */
export interface WholesaleCall {
  readonly request: Request;
  readonly method: string;
  /** The path below the configured base (`/wholesale/customers/abc`). */
  readonly path: string;
  /** The method and path with ids as {id}: one metrics series per operation. */
  readonly operation: string;
  readonly idempotent: boolean;
  /** Attempts counted against the retry budget (waits and token refreshes do not count). */
  attempt: number;
  /** Retry-After waits so far. */
  waits: number;
  /** The token was refreshed after a 401 once already. */
  refreshed: boolean;
  /** The token the last attempt carried (so a 401 invalidates that one, not a newer one). */
  token?: string;
  /** When the last attempt left (clock ms), for the log lines. */
  sentAt?: number;
}

/** Sends a call (and its repetitions) and answers Webex's final response, or throws CallFailed. */
export type Send = (call: WholesaleCall) => Promise<Response>;
/** One concern (pacing, retry, circuit, token) wrapped around the rest of the chain. */
export type Middleware = (next: Send) => Send;

/** Details of a failure kept as the connection's last error. */
export type FailedDetails = Omit<UpstreamLastError, 'at' | 'outcome'>;

/**
 * A call that ended without an answer to return: the error the caller gets, its outcome for the
 * counts, and whether it is Webex's fault (the circuit counts it) or may be tried again (no answer).
 */
export class CallFailed extends Error {
  constructor(
    readonly outcome: UpstreamOutcome,
    readonly error: UpstreamError,
    readonly opts: {
      /** Kept as the last error when the call is recorded. */
      failed?: FailedDetails;
      /** Webex's fault, as the circuit and the status count it (its message and trackingId). */
      fault?: { message: string; trackingId: string | null; status: number | null };
      /** No answer came (network, timeout): an idempotent call may be sent again. */
      retryable?: boolean;
    } = {},
  ) {
    super(error.message);
  }
}

/** Middleware applied outermost first: compose([a, b], send) is a(b(send)). */
export const composeMiddleware = (layers: Middleware[], send: Send): Send => layers.reduceRight((next, layer) => layer(next), send);

/** A path with its ids replaced (`/wholesale/customers/{id}`), so metrics have one series per operation. */
export const operationOf = (method: string, path: string): string =>
  `${method} ${path
    .split('/')
    .map((part) => (/^[A-Za-z0-9_=%-]{16,}$/.test(part) || /^\d+$/.test(part) ? '{id}' : part))
    .join('/')}`;

/** A request to `base` as a call with nothing attempted yet. */
export function startCall(request: Request, base: string): WholesaleCall {
  const method = request.method;
  const path = new URL(request.url).pathname.slice(new URL(base).pathname.length);
  return {
    request,
    method,
    path,
    operation: operationOf(method, path),
    idempotent: IDEMPOTENT.has(method),
    attempt: 0,
    waits: 0,
    refreshed: false,
  };
}

/** The fields every log line about an answer carries. */
export const answerLine = (call: WholesaleCall, res: Response, now: number) => ({
  method: call.method,
  path: call.path,
  status: res.status,
  ms: Math.round(now - (call.sentAt ?? now)),
  trackingId: res.headers.get('trackingid'),
  attempt: call.attempt,
});
