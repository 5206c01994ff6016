/**
 * Stops calling a dependency that keeps failing: after `threshold` failures in a row the circuit opens
 * and calls fail at once for `openMs`; then one trial call goes through (half open): its success closes
 * the circuit, its failure opens it again. Failures are what the caller counts as the dependency's fault
 * (timeouts, network errors, 5xx), never a refusal of a bad request.
 */
export interface CircuitBreaker {
  /** True when a call may go out now (a half-open circuit lets one through). */
  allow(): boolean;
  success(): void;
  failure(): void;
  /** A person says the dependency is back (a retry): an open circuit lets one trial call through now. */
  probe(): void;
  state(): { state: 'closed' | 'open' | 'half_open'; consecutiveFailures: number; openedAt: string | null; retryAt: string | null };
}

export function createCircuitBreaker(opts: { threshold: number; openMs: number; now?: () => number }): CircuitBreaker {
  const now = opts.now ?? Date.now;
  let failures = 0;
  let openedAt: number | null = null;
  let trialOut = false;
  const current = () => (openedAt === null ? 'closed' : now() - openedAt >= opts.openMs ? 'half_open' : 'open');
  return {
    allow() {
      const s = current();
      if (s === 'closed') return true;
      if (s === 'open' || trialOut) return false;
      trialOut = true;
      return true;
    },
    success() {
      failures = 0;
      openedAt = null;
      trialOut = false;
    },
    failure() {
      failures += 1;
      trialOut = false;
      if (openedAt !== null || failures >= opts.threshold) openedAt = now();
    },
    probe() {
      if (openedAt !== null) openedAt = Math.min(openedAt, now() - opts.openMs);
    },
    state() {
      return {
        state: current(),
        consecutiveFailures: failures,
        openedAt: openedAt === null ? null : new Date(openedAt).toISOString(),
        retryAt: openedAt === null ? null : new Date(openedAt + opts.openMs).toISOString(),
      };
    },
  };
}
