/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out
 * but never come back sooner than half the step. `random` in [0, 1) is passed in.
 */
export function backoffMs(attempt: number, random: number, opts: { baseMs: number; capMs: number }): number {
  const step = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
}

/**
 * A `Retry-After` header (seconds, or an HTTP date) as milliseconds from now, capped; undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: Date, capMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(capMs, Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(capMs, Math.max(0, at - now.getTime()));
}
