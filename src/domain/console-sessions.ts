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

/** The page a sign-in may return to: a path on this site only, never another origin (an open redirect). */
export function safeReturnPath(given: string | undefined): string {
  if (!given || !given.startsWith('/') || given.startsWith('//') || given.includes('\\')) return '/';
  return given;
}
