import { z } from 'zod';
import { pageQuery } from './common.js';

const UPSTREAM_OUTCOME_NAMES = ['ok', 'unauthorized', 'refused', 'rate_limited', 'unavailable'] as const;

/** GET /v1/upstream/status: which mode the desk runs in, and how its Webex Wholesale connection is doing. */
export const upstreamStatusResponseSchema = z.object({
  mode: z
    .enum(['standalone', 'upstream'])
    .describe('standalone: nothing reaches Webex; upstream: provisioning goes through Webex Wholesale'),
  api: z.string().optional().describe('WEBEX_WHOLESALE_API_URL'),
  auth: z.enum(['token', 'oauth']).optional(),
  circuit: z
    .object({
      state: z.enum(['closed', 'open', 'half_open']),
      consecutiveFailures: z.number().int(),
      openedAt: z.string().nullable(),
      retryAt: z.string().nullable(),
    })
    .optional(),
  inFlight: z.number().int().optional(),
  waiting: z.number().int().optional(),
  calls: z.number().int().optional().describe('calls sent since start (this instance)'),
  lastError: z
    .object({
      at: z.string(),
      outcome: z.enum(UPSTREAM_OUTCOME_NAMES).optional(),
      status: z.number().int().nullable().describe("Webex's HTTP status; null when there was no answer"),
      errorCode: z.number().int().nullable().describe("Webex's first errorCode, when it gave one"),
      message: z.string(),
      trackingId: z.string().nullable(),
    })
    .nullable()
    .optional(),
  state: z
    .enum(['ok', 'unauthorized', 'unavailable', 'degraded'])
    .optional()
    .describe('unauthorized: Webex refuses the token; unavailable: the circuit is open; degraded: failures in the last minutes'),
  summary: z.string().optional().describe('the state in words, with what to do'),
  lastSuccessAt: z.string().nullable().optional().describe('the last call Webex answered usably (this instance)'),
  outcomes: z
    .object(
      Object.fromEntries(UPSTREAM_OUTCOME_NAMES.map((o) => [o, z.number().int()])) as Record<
        (typeof UPSTREAM_OUTCOME_NAMES)[number],
        z.ZodNumber
      >,
    )
    .optional()
    .describe('calls since start by how they ended (this instance)'),
  tokenCheck: z
    .object({ at: z.string(), outcome: z.enum(UPSTREAM_OUTCOME_NAMES) })
    .nullable()
    .optional()
    .describe('the authenticated call made at start to check the token'),
  tasks: z
    .object({ parked: z.number().int(), failed: z.number().int() })
    .optional()
    .describe("the partner's held (the token refused) and failed tasks, every instance: retry them with POST /v1/tasks/retry"),
});

/** GET /v1/tasks: held and failed tasks. */
export const listTasksQuerySchema = z.object({
  state: z
    .string()
    .optional()
    .describe(
      'parked (held: Webex refused the token; no attempt spent), failed (attempts used up, or Webex refused), or both comma-separated (default)',
    ),
  kind: z.string().optional().describe('one task kind, e.g. customer.provision'),
  customerId: z.string().optional().describe("a customer's tasks and its subscribers'"),
  ...pageQuery,
});

/** POST /v1/tasks/retry: which stopped tasks to retry (all held and failed ones of the partner by default). */
export const retryTasksQuerySchema = listTasksQuerySchema.pick({ state: true, kind: true, customerId: true });

export const taskItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  entityId: z.string(),
  customerId: z.string().nullable(),
  state: z.enum(['pending', 'done', 'parked', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  created: z.string(),
  stopped: z.string().nullable().describe('when it was held or failed'),
});

export const retryTasksResponseSchema = z.object({
  retried: z.number().int().describe('tasks put back in the queue'),
  items: z.array(z.object({ id: z.string(), kind: z.string(), entityId: z.string() })),
});
