import { searchPartnerAudit, type AuditSearch } from '../db/repositories/audit-log-search.js';
import type { Store } from './store.js';

export type { AuditSearch };

/** The console's audit log: what the partner's people, tokens and jobs did, newest first. */
export const searchAudit = (db: Store, partner: { id: string }, search: AuditSearch) => searchPartnerAudit(db, partner.id, search);
