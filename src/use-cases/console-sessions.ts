import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appendAudit } from '../db/repositories/audit-log.js';
import {
  deleteStaleOidcSignIns,
  endConsoleSession,
  fillStaffDisplayName,
  findConsoleSession,
  findStaffByEmail,
  insertConsoleSession,
  insertOidcSignIn,
  takeOidcSignIn,
  touchConsoleSession,
  trimClientOidcSignIns,
  type ConsoleSessionWithHolder as StoredConsoleSession,
} from '../db/repositories/console-sessions.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { safeReturnPath, shouldTouchSession, stateOfSession, type SessionPolicy } from '../domain/console-sessions.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { hashToken } from '../platform/token-hash.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';
import type { Store } from './store.js';

/** A live console session with its person and the partner they act as (mapped from its row here). */
export interface ConsoleSessionWithHolder extends Omit<StoredConsoleSession, 'partner'> {
  partner: ActingPartner;
}

/** A sign-in that has not come back from the identity provider within this long cannot finish. */
const SIGN_IN_TTL_MS = 10 * 60_000;

const randomSecret = () => randomBytes(32).toString('base64url');

/**
 * Sign-ins one client may have under way at once (a person with a few tabs open); beginning another
 * drops its oldest, whose return from the provider then asks to start again.
 */
export const MAX_SIGN_INS_PER_CLIENT = 5;

/**
 * Begins a sign-in: the state the identity provider hands back, with the PKCE verifier and nonce kept
 * here. Sign-ins that can no longer finish are pruned first, and the client's own beyond the newest
 * few: the rows an unauthenticated caller can make stay bounded.
 */
export async function beginOidcSignIn(
  db: Store,
  input: { state: string; codeVerifier: string; nonce: string; returnTo: string | undefined; client: string; now: Date },
): Promise<void> {
  const clientKey = hashToken(`client:${input.client}`);
  await db.transaction().execute(async (trx) => {
    await deleteStaleOidcSignIns(trx, new Date(input.now.getTime() - SIGN_IN_TTL_MS));
    await trimClientOidcSignIns(trx, clientKey, MAX_SIGN_INS_PER_CLIENT - 1);
    await insertOidcSignIn(trx, {
      stateHash: hashToken(input.state),
      codeVerifier: input.codeVerifier,
      nonce: input.nonce,
      returnTo: safeReturnPath(input.returnTo),
      clientKey,
      at: input.now,
    });
  });
}

/** The sign-in a returning `state` belongs to, taken once; unknown, reused or too old, it is refused. */
export async function takeSignInState(
  db: Store,
  state: string,
  now: Date,
): Promise<Result<{ codeVerifier: string; nonce: string; returnTo: string }>> {
  const notBefore = new Date(now.getTime() - SIGN_IN_TTL_MS);
  const row = await takeOidcSignIn(db, hashToken(state), notBefore);
  await deleteStaleOidcSignIns(db, notBefore);
  if (!row) return fail(problem('sign_in_failed', 'this sign-in link has expired or was already used; start again from the console'));
  return ok({ codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to });
}

export interface OpenedSession {
  /** The cookie's value: shown once, stored only as its hash. */
  cookieValue: string;
  email: string;
  partnerId: string;
}

/**
 * Opens a session for the person the identity provider vouched for, matched by email to the staff
 * list. Someone not on it is refused politely, and the attempt is audited (on the root partner's
 * trail: the person belongs to no partner yet).
 */
export async function openConsoleSession(
  db: Store,
  input: {
    email: string | undefined;
    emailVerified: boolean | undefined;
    /** The provider never sends `email_verified` (OIDC_ALLOW_MISSING_EMAIL_VERIFIED): its absence is not a refusal. */
    allowMissingEmailVerified?: boolean | undefined;
    name?: string | undefined;
    subject: string;
    issuer: string;
    now: Date;
  },
): Promise<Result<OpenedSession>> {
  const email = input.email?.trim().toLowerCase();
  const refuse = async (reason: string, message: string) => {
    const root = await findRootPartner(db);
    await appendAudit(db, {
      at: input.now,
      partnerId: root?.id ?? null,
      actor: email ? `oidc:${email}` : `oidc-subject:${input.subject}`,
      action: 'console.sign_in_refused',
      entityType: 'console_session',
      entityId: null,
      context: { reason, issuer: input.issuer },
    });
    return fail(problem('staff_not_found', message));
  };
  if (!email) return refuse('no_email', 'Your identity provider did not share an email address, so the desk cannot tell who you are.');
  // Only an explicit `true` vouches for the address: a provider that leaves the claim out may hand out
  // unverified addresses, and someone could then sign in as whoever's email they typed.
  if (input.emailVerified === false)
    return refuse('email_unverified', `Your email (${email}) is not verified at your identity provider; verify it there and try again.`);
  if (input.emailVerified !== true && !input.allowMissingEmailVerified)
    return refuse(
      'email_verified_missing',
      `Your identity provider did not say that your email (${email}) is verified, so the desk cannot rely on it; ask your administrator (the provider must send email_verified).`,
    );
  const [staff] = await findStaffByEmail(db, email);
  if (!staff)
    return refuse(
      'not_staff',
      `${email} is not on the staff list of this desk. Ask your administrator to add you (npm run cli -- staff add ${email} --role viewer).`,
    );
  const cookieValue = randomSecret();
  const name = input.name?.trim().slice(0, 120);
  await db.transaction().execute(async (trx) => {
    if (name && !staff.display_name) await fillStaffDisplayName(trx, staff.partner_id, staff.staff_id, name);
    await insertConsoleSession(trx, {
      idHash: hashToken(cookieValue),
      partnerId: staff.partner_id,
      staffId: staff.staff_id,
      csrfToken: randomSecret(),
      at: input.now,
    });
    await appendAudit(trx, {
      at: input.now,
      partnerId: staff.partner_id,
      actor: `staff:${staff.email}`,
      action: 'console.signed_in',
      entityType: 'console_session',
      entityId: staff.staff_id,
      context: { issuer: input.issuer, role: staff.role },
    });
  });
  return ok({ cookieValue, email: staff.email, partnerId: staff.partner_id });
}

/** The session a cookie opens at `now`, refreshing its idle clock; expired, ended or unknown, none. */
export async function resumeConsoleSession(
  db: Store,
  cookieValue: string,
  now: Date,
  policy: SessionPolicy,
): Promise<Result<ConsoleSessionWithHolder>> {
  const found = await findConsoleSession(db, hashToken(cookieValue));
  if (!found) return fail(problem('session_expired', 'your console session has ended; sign in again'));
  const state = stateOfSession(found.session, now, policy);
  if (state !== 'alive') {
    const why = state === 'idle_expired' ? 'after a period without use' : state === 'expired' ? 'at its time limit' : 'at sign-out';
    return fail(problem('session_expired', `your console session ended ${why}; sign in again`));
  }
  if (shouldTouchSession(found.session.lastSeenAt, now)) await touchConsoleSession(db, found.partner.id, found.session.idHash, now);
  return ok({ ...found, partner: toActingPartner(found.partner) });
}

/** Whether the CSRF token a state-changing request carries is its session's (compared in constant time). */
export function isSessionCsrfToken(session: ConsoleSessionWithHolder, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(session.session.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signs out: the session's cookie stops working at once, whatever its expiry. */
export async function closeConsoleSession(db: Store, session: ConsoleSessionWithHolder, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await endConsoleSession(trx, session.partner.id, session.session.idHash, now);
    if (ended)
      await appendAudit(trx, {
        at: now,
        partnerId: session.partner.id,
        actor: `staff:${session.staff.email}`,
        action: 'console.signed_out',
        entityType: 'console_session',
        entityId: session.staff.id,
      });
  });
}
