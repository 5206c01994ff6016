import { appendAudit, type AuditEntry } from '../db/repositories/audit-log.js';
import type { Store } from './store.js';

export type { AuditEntry };

/** Records what an edge did on its own account (a chat command, an operator command) in the audit trail. */
export const recordAudit = (db: Store, entry: AuditEntry): Promise<void> => appendAudit(db, entry);
