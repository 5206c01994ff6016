/** Errors that mean "the database is not there right now" (worth a 503 and a retry), not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    // 57014: a statement cancelled by statement_timeout; 25P03: a transaction idle past its timeout.
    if (
      typeof code === 'string' &&
      (/^(08|57P0|53)/.test(code) ||
        code === '57014' ||
        code === '25P03' ||
        ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code))
    )
      return true;
    if (
      typeof message === 'string' &&
      /PGlite is closed|Connection terminated|Query read timeout|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end|driver has already been destroyed/i.test(
        message,
      )
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
