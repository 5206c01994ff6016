import type { CustomerStatus } from '../../domain/lifecycle.js';
import type { CustomerRow, Db } from '../schema.js';
import type { CustomerPatch } from './customers.js';

/**
 * Writes a customer's status with the columns that change with it. Only `moveCustomer` imports this
 * (the dependency rule says so): it checks the state machine first and emits the event.
 */
export async function writeCustomerStatus(
  db: Db,
  id: string,
  status: CustomerStatus,
  at: Date,
  patch: CustomerPatch,
): Promise<CustomerRow> {
  return db
    .updateTable('customers')
    .set({ ...patch, status, status_changed_at: at, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
