import { Hono } from 'hono';
import { problem } from '../domain/problems.js';
import { approveBodySchema, contactBodySchema, listReviewsQuerySchema, rejectBodySchema } from '../contracts/compliance.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, readJsonBody, respondPage, toPage } from './read-body.js';

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
export function createComplianceRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  const actorOf = (c: { get(k: 'auth'): AppEnv['Variables']['auth'] }) => ({
    partner: c.get('auth').partner,
    label: c.get('auth').actorLabel,
  });

  app.post('/screening-list', requireScope('wholesale-desk:screening_list'), async (c) => {
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
    return c.json({ versionId: result.value.versionId, entries: result.value.entries, status: 'active', rescreening: 'queued' }, 201);
  });

  app.get('/reviews', requireScope('wholesale-desk:compliance_read'), async (c) => {
    const q = parseQuery(c, listReviewsQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const page = toPage(q.value, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listReviews(c.get('auth').partner, {
      status: q.value.status,
      kind: q.value.kind,
      customerId: q.value.customerId,
      ...page.value,
    });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) });
  });

  app.post('/reviews/:id/approve', requireScope('wholesale-desk:compliance_decide'), async (c) => {
    const body = await readJsonBody(c, approveBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const r = await deps.useCases.approveReview(actorOf(c), c.req.param('id'), body.value.note ?? null, useCaseDeps(deps));
    if (r.ok) deps.onWorkQueued?.();
    return r.ok ? c.json(r.value) : respondProblems(c, r.problems);
  });

  app.post('/reviews/:id/reject', requireScope('wholesale-desk:compliance_decide'), async (c) => {
    const body = await readJsonBody(c, rejectBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const r = await deps.useCases.rejectReview(actorOf(c), c.req.param('id'), body.value.reason, useCaseDeps(deps));
    return r.ok ? c.json(r.value) : respondProblems(c, r.problems);
  });

  app.post('/reviews/:id/contact-attempts', requireScope('wholesale-desk:compliance_decide'), async (c) => {
    const body = await readJsonBody(c, contactBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const r = await deps.useCases.recordContactAttempt(
      actorOf(c),
      c.req.param('id'),
      { outcome: body.value.outcome, note: body.value.note ?? null },
      useCaseDeps(deps),
    );
    return r.ok ? c.json(r.value) : respondProblems(c, r.problems);
  });
  return app;
}
