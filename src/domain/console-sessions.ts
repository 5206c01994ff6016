/** How long a console session lives: idle since the last request, and at most since sign-in. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export type SessionState = 'alive' | 'ended' | 'idle_expired' | 'expired';

/** Whether a stored session still signs its holder in at `now`; the reason when it does not. */
export function stateOfSession(
  session: { createdAt: Date; lastSeenAt: Date; endedAt: Date | null },
  now: Date,
  policy: SessionPolicy,
): SessionState {
  if (session.endedAt) return 'ended';
  if (now.getTime() - session.createdAt.getTime() >= policy.absoluteMs) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.idleMs) return 'idle_expired';
  return 'alive';
}

/**
 * Whether a request should record itself as the session's last use: not on every request (a write per
 * page load), but often enough that the idle limit is kept within a minute.
 */
export function shouldTouchSession(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= 60_000;
}

/** A return path longer than this is no page of the console: it is not kept. */
const MAX_RETURN_PATH = 2_048;
const ORIGIN = 'http://desk.invalid';

/**
 * The page a sign-in may return to: a path on this site only, never another origin (an open redirect).
 * Control characters (which browsers strip, so `/\t/evil.example` becomes `//evil.example`, and which a
 * Location header cannot carry) and backslashes (read as `/`) refuse it outright; what remains is
 * normalised by the URL parser (dot segments resolved, anything outside ASCII percent-encoded) and only
 * then checked, so a spelling such as `/.//evil.example` cannot normalise into another origin.
 */
export function safeReturnPath(given: string | undefined): string {
  if (!given || given.length > MAX_RETURN_PATH || !given.startsWith('/') || /[\u0000-\u001f\u007f-\u009f\\]/u.test(given)) return '/';
  let url: URL;
  try {
    url = new URL(given, ORIGIN);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== ORIGIN || !path.startsWith('/') || path.startsWith('//') || !/^[\x21-\x7e]+$/.test(path)) return '/';
  return path;
}
