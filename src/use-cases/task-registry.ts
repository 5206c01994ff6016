import type { Transaction } from 'kysely';
import { TASK_PAYLOADS, type TaskKind, type TaskPayload } from '../contracts/task-payloads.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { UseCaseDeps } from './actor.js';
import { generateReport } from './billing-reports.js';
import {
  finishCustomerDelete,
  finishCustomerUpdate,
  finishSubscriberDelete,
  finishSubscriberUpdate,
  provisionCustomer,
  provisionSubscriber,
  type TaskOutcome,
} from './provisioning-tasks.js';
import { rescreenCustomers } from './screening-list.js';
import type { Store } from './store.js';
import type { WebexWholesalePort } from '../ports.js';
import {
  deleteCustomerUpstream,
  deleteSubscriberUpstream,
  provisionCustomerUpstream,
  provisionSubscriberUpstream,
  updateCustomerUpstream,
  updateSubscriberUpstream,
} from './upstream-provisioning.js';

import { deleteWorkspace, provisionLocation, provisionWorkspace } from './upstream-org-resources.js';
import { runSyncTask } from './upstream-sync-runs.js';

export type { TaskOutcome } from './provisioning-tasks.js';

/** What every task gets besides its own row. */
export interface TaskDeps extends UseCaseDeps {
  screeningThreshold: number;
  /** False: with no list loaded, customers are provisioned unscreened (warned) instead of held. Default true. */
  screeningRequired?: boolean | undefined;
  logger: Logger;
  /** Webex Wholesale in upstream mode: kinds with an `upstream` runner use it instead. */
  upstream?: WebexWholesalePort | undefined;
}

/** A claimed task whose payload fits its kind. */
export interface Task<K extends TaskKind> {
  id: number;
  kind: K;
  entityId: string;
  payload: TaskPayload<K>;
  attempts: number;
}

/**
 * How one kind of task runs. Most run in the transaction that records their outcome (`inTransaction:
 * true`), so the work and "done" commit together; long work that commits in steps, or records its own
 * failure, gets the store and owns its transactions.
 */
export type TaskEntry<K extends TaskKind> = {
  payload: (typeof TASK_PAYLOADS)[K];
  /** Upstream mode: the same request carried through Webex Wholesale (owns its transactions; src/use-cases/upstream-provisioning.ts). */
  upstream?(db: Store, task: Task<K>, deps: TaskDeps & { upstream: WebexWholesalePort }): Promise<TaskOutcome>;
} & (
  | { inTransaction: true; run(trx: Transaction<Database>, task: Task<K>, deps: TaskDeps): Promise<TaskOutcome> }
  | { inTransaction: false; run(db: Store, task: Task<K>, deps: TaskDeps): Promise<TaskOutcome> }
);

/** Every kind of background work: a new kind is a payload schema in contracts and one entry here. */
export const TASK_REGISTRY: { [K in TaskKind]: TaskEntry<K> } = {
  'customer.provision': {
    payload: TASK_PAYLOADS['customer.provision'],
    inTransaction: true,
    run: (trx, t, deps) => provisionCustomer(trx, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => provisionCustomerUpstream(db, t.entityId, t.payload, t.attempts, deps),
  },
  'customer.update': {
    payload: TASK_PAYLOADS['customer.update'],
    inTransaction: true,
    run: (trx, t, deps) => finishCustomerUpdate(trx, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => updateCustomerUpstream(db, t.entityId, t.payload, deps),
  },
  'customer.delete': {
    payload: TASK_PAYLOADS['customer.delete'],
    inTransaction: true,
    run: (trx, t, deps) => finishCustomerDelete(trx, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => deleteCustomerUpstream(db, t.entityId, t.payload, deps),
  },
  'subscriber.provision': {
    payload: TASK_PAYLOADS['subscriber.provision'],
    inTransaction: true,
    run: (trx, t, deps) => provisionSubscriber(trx, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => provisionSubscriberUpstream(db, t.entityId, t.payload, t.attempts, deps),
  },
  'subscriber.update': {
    payload: TASK_PAYLOADS['subscriber.update'],
    inTransaction: true,
    run: (trx, t, deps) => finishSubscriberUpdate(trx, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => updateSubscriberUpstream(db, t.entityId, t.payload, deps),
  },
  'subscriber.delete': {
    payload: TASK_PAYLOADS['subscriber.delete'],
    inTransaction: true,
    run: (trx, t, deps) => finishSubscriberDelete(trx, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => deleteSubscriberUpstream(db, t.entityId, t.payload, deps),
  },
  // Locations and workspaces of a customer's org (#25): upstream through Webex, standalone completed here.
  'location.provision': {
    payload: TASK_PAYLOADS['location.provision'],
    inTransaction: false,
    run: (db, t, deps) => provisionLocation(db, t.entityId, deps),
    upstream: (db, t, deps) => provisionLocation(db, t.entityId, deps),
  },
  'workspace.provision': {
    payload: TASK_PAYLOADS['workspace.provision'],
    inTransaction: false,
    run: (db, t, deps) => provisionWorkspace(db, t.entityId, t.payload, t.attempts, deps),
    upstream: (db, t, deps) => provisionWorkspace(db, t.entityId, t.payload, t.attempts, deps),
  },
  'workspace.delete': {
    payload: TASK_PAYLOADS['workspace.delete'],
    inTransaction: false,
    run: (db, t, deps) => deleteWorkspace(db, t.entityId, t.payload, deps),
    upstream: (db, t, deps) => deleteWorkspace(db, t.entityId, t.payload, deps),
  },
  // A sync requested through the API or chat; standalone it ends failed, saying there is no Webex.
  'upstream.sync': {
    payload: TASK_PAYLOADS['upstream.sync'],
    inTransaction: false,
    run: (db, t, deps) => runSyncTask(db, t.entityId, deps),
    upstream: (db, t, deps) => runSyncTask(db, t.entityId, deps),
  },
  'billing_report.generate': {
    payload: TASK_PAYLOADS['billing_report.generate'],
    // Generation commits the report on its own and records its own failure (FAILED with the reason).
    inTransaction: false,
    run: async (db, t, deps) => {
      await generateReport(db, t.entityId, deps);
      return 'done';
    },
  },
  'compliance.rescreen': {
    payload: TASK_PAYLOADS['compliance.rescreen'],
    // Re-screening commits customer by customer in batches: a re-run skips the ones already reviewed.
    inTransaction: false,
    run: async (db, t, deps) => {
      const outcome = await rescreenCustomers(db, Number(t.entityId), deps.screeningThreshold, deps);
      deps.logger.info({ versionId: t.entityId, ...outcome }, 'customers re-screened against the new list');
      return 'done';
    },
  },
};
