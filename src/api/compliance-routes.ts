import { problem } from '../domain/problems.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import {
  approveBodySchema,
  complianceReviewSchema,
  contactBodySchema,
  listOf,
  listReviewsQuerySchema,
  rejectBodySchema,
  screeningListLoadedSchema,
} from '../contracts/index.js';

/**
 * The largest screening list accepted (413 above, refused while streaming, nothing stored). The
 * Consolidated Screening List this format follows is far smaller, so 64 MiB leaves room to grow;
 * since the upload is streamed, memory follows the rows in one batch, not this cap.
 */
export const MAX_LIST_BYTES = 64 * 1024 * 1024;

/** A request body as chunks, read as they arrive (an absent body is an empty one). */
export async function* readBodyStream(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (a bad row, over size): stop reading the rest.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Restricted-party screening: the list, the review queue and its decisions (a scope of their own). */
const loadScreeningListRoute = contract({
  method: 'post',
  path: '/screening-list',
  operationId: 'loadScreeningList',
  tag: 'Compliance',
  summary: 'Load a screening list (text/csv, CSL column naming)',
  scope: 'wholesale-desk:screening_list',
  // Read by the handler (streamed): another content type is refused (415), a larger list too (413).
  bodyContent: {
    type: 'text/csv',
    description: 'The restricted-party list (CSL column naming), at most 64 MiB, streamed; application/octet-stream is taken too',
  },
  status: 201,
  response: screeningListLoadedSchema,
});

const listComplianceReviewsRoute = contract({
  method: 'get',
  path: '/reviews',
  operationId: 'listComplianceReviews',
  tag: 'Compliance',
  summary: 'The review queue',
  scope: 'wholesale-desk:compliance_read',
  query: listReviewsQuerySchema,
  status: 200,
  response: listOf(complianceReviewSchema),
});

const approveComplianceReviewRoute = contract({
  method: 'post',
  path: '/reviews/{id}/approve',
  operationId: 'approveComplianceReview',
  tag: 'Compliance',
  summary: 'Clear a screening hit',
  scope: 'wholesale-desk:compliance_decide',
  body: approveBodySchema,
  // A decided review (review_closed), a hold for a name or a list rather than a hit (review_needs_name, review_needs_list).
  errors: [409],
  status: 200,
  response: complianceReviewSchema,
});

const rejectComplianceReviewRoute = contract({
  method: 'post',
  path: '/reviews/{id}/reject',
  operationId: 'rejectComplianceReview',
  tag: 'Compliance',
  summary: 'Confirm a screening hit (reason required)',
  scope: 'wholesale-desk:compliance_decide',
  body: rejectBodySchema,
  // A decided review (review_closed).
  errors: [409],
  status: 200,
  response: complianceReviewSchema,
});

const recordContactAttemptRoute = contract({
  method: 'post',
  path: '/reviews/{id}/contact-attempts',
  operationId: 'recordContactAttempt',
  tag: 'Compliance',
  summary: 'Record an attempt to reach the partner',
  scope: 'wholesale-desk:compliance_decide',
  body: contactBodySchema,
  // A decided review, or a hold for a name or a list rather than a hit.
  errors: [409],
  status: 200,
  response: complianceReviewSchema,
});

export function createComplianceRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  const actorOf = (c: { get(k: 'auth'): AppEnv['Variables']['auth'] }) => ({
    partner: c.get('auth').partner,
    label: c.get('auth').actorLabel,
  });

  app.operation(loadScreeningListRoute, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^(text\/csv|application\/octet-stream)\b/i.test(type))
      return respondProblems(c, [problem('unsupported_media_type', 'upload the list as CSV with "Content-Type: text/csv"')]);
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d+$/.test(length) && Number(length) > MAX_LIST_BYTES)
      return respondProblems(c, [problem('body_too_large', `the list is larger than ${MAX_LIST_BYTES} bytes`)]);
    // Streamed: the body is read as it arrives and stored in batches, never held whole.
    const result = await deps.useCases.loadScreeningList(actorOf(c), readBodyStream(c.req.raw.body), useCaseDeps(deps), {
      maxBytes: MAX_LIST_BYTES,
    });
    if (!result.ok) return respondProblems(c, result.problems);
    deps.onWorkQueued?.();
    return c.json(
      { versionId: result.value.versionId, entries: result.value.entries, status: 'active' as const, rescreening: 'queued' as const },
      201,
    );
  });

  app.operation(listComplianceReviewsRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listReviews(c.get('auth').partner, {
      status: q.status,
      kind: q.kind,
      customerId: q.customerId,
      ...page.value,
    });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) }, 200);
  });

  app.operation(approveComplianceReviewRoute, async (c) => {
    const body = c.req.valid('json');
    const r = await deps.useCases.approveReview(actorOf(c), c.req.param('id'), body.note ?? null, useCaseDeps(deps));
    if (r.ok) deps.onWorkQueued?.();
    return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
  });

  app.operation(rejectComplianceReviewRoute, async (c) => {
    const body = c.req.valid('json');
    const r = await deps.useCases.rejectReview(actorOf(c), c.req.param('id'), body.reason, useCaseDeps(deps));
    return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
  });

  app.operation(recordContactAttemptRoute, async (c) => {
    const body = c.req.valid('json');
    const r = await deps.useCases.recordContactAttempt(
      actorOf(c),
      c.req.param('id'),
      { outcome: body.outcome, note: body.note ?? null },
      useCaseDeps(deps),
    );
    return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
  });
  return app;
}
