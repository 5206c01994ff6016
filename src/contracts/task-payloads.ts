import { z } from 'zod';

/**
 * The payload of every kind of background task, one schema per kind: the only definition of the task
 * kinds. A task is enqueued with a payload checked against its schema and parsed again before it runs,
 * so a row written by an older release (or by hand) that no longer fits is parked, not guessed at.
 */
export const TASK_PAYLOADS = {
  /**
   * `screeningCleared`: a compliance review approved the customer, so it is not screened again.
   * `releasedAt`: the customer waited for a screening list and was released when one was loaded; its
   * billing starts then (or at a later approval), not at its creation.
   */
  'customer.provision': z.object({ screeningCleared: z.boolean().optional(), releasedAt: z.iso.datetime({ offset: true }).optional() }),
  /**
   * `addressChanged` / `nameGiven`: the address changed, or an org without a name got one, so the
   * customer is screened again before the update completes.
   */
  'customer.update': z.object({ addressChanged: z.boolean().optional(), nameGiven: z.boolean().optional() }),
  /** `effectiveAt`: when billing of the removed subscribers stops (defaults to when the task runs). */
  'customer.delete': z.object({ effectiveAt: z.iso.datetime({ offset: true }).optional() }),
  'subscriber.provision': z.object({}),
  /**
   * Upstream mode: a checked package change on its way to Webex. The ledger records it when Webex
   * confirms, at `effectiveAt` when the request named one, else at the confirmation.
   */
  'subscriber.update': z.object({
    package: z.string(),
    addOns: z.array(z.string()),
    extension: z.string().nullable(),
    primaryPhoneNumber: z.string().nullable(),
    locationId: z.string().nullable(),
    effectiveAt: z.iso.datetime({ offset: true }).optional(),
  }),
  /** Upstream mode: a removal on its way to Webex; billing stops at `effectiveAt`, else when Webex confirms. */
  'subscriber.delete': z.object({ effectiveAt: z.iso.datetime({ offset: true }).optional() }),
  /** Upstream mode: a customer's location on its way to Webex (`POST /locations?orgId=…`, after a lookup by name). */
  'location.provision': z.object({}),
  /** Upstream mode: a workspace on its way to Webex; it bills from `effectiveAt` when the request named one, else from Webex's confirmation. */
  'workspace.provision': z.object({ effectiveAt: z.iso.datetime({ offset: true }).optional() }),
  /** Upstream mode: a workspace's removal on its way to Webex; billing stops at `effectiveAt`, else when Webex confirms. */
  'workspace.delete': z.object({ effectiveAt: z.iso.datetime({ offset: true }).optional() }),
  /** A sync with Webex Wholesale requested through the API or chat; the entity is the sync run (upstream_syncs). */
  'upstream.sync': z.object({}),
  'billing_report.generate': z.object({}),
  'compliance.rescreen': z.object({}),
} as const;

export type TaskKind = keyof typeof TASK_PAYLOADS;
export const TASK_KINDS = Object.keys(TASK_PAYLOADS) as TaskKind[];

/** What a task of kind K carries once parsed. */
export type TaskPayload<K extends TaskKind> = z.output<(typeof TASK_PAYLOADS)[K]>;
/** What may be handed to enqueue for a task of kind K. */
export type TaskPayloadInput<K extends TaskKind> = z.input<(typeof TASK_PAYLOADS)[K]>;

export const isTaskKind = (kind: string): kind is TaskKind => Object.hasOwn(TASK_PAYLOADS, kind);
