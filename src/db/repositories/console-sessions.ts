import type { Db, PartnerRow, StaffTable } from '../schema.js';

/** Records a sign-in under way; its state is looked up (once) when the identity provider sends the person back. */
export async function insertOidcSignIn(
  db: Db,
  s: { stateHash: string; codeVerifier: string; nonce: string; returnTo: string; clientKey: string; at: Date },
): Promise<void> {
  await db
    .insertInto('oidc_sign_ins')
    .values({
      state_hash: s.stateHash,
      code_verifier: s.codeVerifier,
      nonce: s.nonce,
      return_to: s.returnTo,
      client_key: s.clientKey,
      created_at: s.at,
    })
    .execute();
}

/** Drops a client's oldest sign-ins under way so that at most `keep` remain (the newest). */
export async function trimClientOidcSignIns(db: Db, clientKey: string, keep: number): Promise<void> {
  const newest = db
    .selectFrom('oidc_sign_ins')
    .select('state_hash')
    .where('client_key', '=', clientKey)
    .orderBy('created_at', 'desc')
    .orderBy('state_hash')
    .limit(keep);
  await db.deleteFrom('oidc_sign_ins').where('client_key', '=', clientKey).where('state_hash', 'not in', newest).execute();
}

/** Takes a sign-in under way (deleting it, so a state is used once) if it began after `notBefore`. */
export async function takeOidcSignIn(db: Db, stateHash: string, notBefore: Date) {
  const row = await db.deleteFrom('oidc_sign_ins').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
  return row && row.created_at >= notBefore ? row : undefined;
}

/** Sign-ins abandoned at the identity provider are dropped once they can no longer finish. */
export async function deleteStaleOidcSignIns(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('oidc_sign_ins').where('created_at', '<', before).execute();
}

/** The staff members with this email, each with their partner (an email may serve two partners). */
export async function findStaffByEmail(db: Db, email: string) {
  return db
    .selectFrom('staff as s')
    .innerJoin('partners as p', 'p.id', 's.partner_id')
    .select(['s.id as staff_id', 's.email', 's.role', 's.display_name', 'p.id as partner_id', 'p.parent_id', 'p.name as partner_name'])
    .where('s.email', '=', email)
    .orderBy('p.parent_id', 'desc')
    .orderBy('p.created_at')
    .execute();
}

/** Fills in a staff member's display name from their identity provider, never overwriting one an admin set. */
export async function fillStaffDisplayName(db: Db, partnerId: string, staffId: string, name: string): Promise<void> {
  await db
    .updateTable('staff')
    .set({ display_name: name })
    .where('partner_id', '=', partnerId)
    .where('id', '=', staffId)
    .where('display_name', 'is', null)
    .execute();
}

export async function insertConsoleSession(
  db: Db,
  s: { idHash: string; partnerId: string; staffId: string; csrfToken: string; at: Date },
): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({
      id_hash: s.idHash,
      partner_id: s.partnerId,
      staff_id: s.staffId,
      csrf_token: s.csrfToken,
      created_at: s.at,
      last_seen_at: s.at,
      ended_at: null,
    })
    .execute();
}

export interface ConsoleSessionWithHolder {
  session: { idHash: string; csrfToken: string; createdAt: Date; lastSeenAt: Date; endedAt: Date | null };
  staff: { id: string; email: string; role: StaffTable['role']; displayName: string | null };
  partner: PartnerRow;
}

/** A session with its person (their role as it is now, not as it was at sign-in) and partner. */
export async function findConsoleSession(db: Db, idHash: string): Promise<ConsoleSessionWithHolder | undefined> {
  const row = await db
    .selectFrom('console_sessions as cs')
    .innerJoin('staff as s', (j) => j.onRef('s.id', '=', 'cs.staff_id').onRef('s.partner_id', '=', 'cs.partner_id'))
    .innerJoin('partners as p', 'p.id', 'cs.partner_id')
    .selectAll('p')
    .select([
      'cs.id_hash',
      'cs.csrf_token',
      'cs.created_at as session_created_at',
      'cs.last_seen_at',
      'cs.ended_at',
      's.id as staff_id',
      's.email as staff_email',
      's.role as staff_role',
      's.display_name as staff_display_name',
    ])
    .where('cs.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    id_hash,
    csrf_token,
    session_created_at,
    last_seen_at,
    ended_at,
    staff_id,
    staff_email,
    staff_role,
    staff_display_name,
    ...partner
  } = row;
  return {
    session: { idHash: id_hash, csrfToken: csrf_token, createdAt: session_created_at, lastSeenAt: last_seen_at, endedAt: ended_at },
    staff: { id: staff_id, email: staff_email, role: staff_role, displayName: staff_display_name },
    partner,
  };
}

export async function touchConsoleSession(db: Db, partnerId: string, idHash: string, at: Date): Promise<void> {
  await db
    .updateTable('console_sessions')
    .set({ last_seen_at: at })
    .where('partner_id', '=', partnerId)
    .where('id_hash', '=', idHash)
    .execute();
}

/** Ends a session; true when it was still open. */
export async function endConsoleSession(db: Db, partnerId: string, idHash: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('console_sessions')
    .set({ ended_at: at })
    .where('partner_id', '=', partnerId)
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
