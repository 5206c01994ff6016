import type { Context } from 'hono';
import type { Keyset } from '../domain/list-keyset.js';
import { fail, problem, type Result } from '../domain/problems.js';
import type { AppEnv } from './app-env.js';
import type { Page } from './read-body.js';

/**
 * Keyset cursors for the lists where the desk chooses how to page (issue 28). A cursor is opaque to
 * clients: base64url of `{v, l, s, a, i}` — version, the list, its sort (`created.asc`, …), and the last
 * row's sort key (`a`, the instant with microseconds) and id. Following it costs the same at any depth
 * (the page starts in the index right after that row), and rows inserted or removed meanwhile neither
 * repeat nor skip a row. `offset` stays for Cisco's clients; the two together are refused.
 */
export interface ListCursorScope {
  /** The list: 'customers', 'subscribers'. */
  list: string;
  /** The order the cursor's key belongs to, e.g. 'created.asc'. */
  sort: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const RESTART = 'follow the Link header as given, or start again without cursor';

export function encodeListCursor(scope: ListCursorScope, key: Keyset): string {
  return Buffer.from(JSON.stringify({ v: 1, l: scope.list, s: scope.sort, a: key.at, i: key.id })).toString('base64url');
}

/** The keyset a `cursor` parameter carries, or `invalid_cursor` (400) saying what to fix. */
export function decodeListCursor(
  scope: ListCursorScope,
  q: { cursor?: string | undefined; offset?: string | undefined },
): Result<Keyset | undefined> {
  if (q.cursor === undefined) return { ok: true, value: undefined };
  if (q.offset !== undefined && q.offset !== '')
    return fail(
      problem(
        'invalid_cursor',
        'give either offset or cursor, not both: a cursor already says where the page starts (follow the Link header, which has no offset)',
        'cursor',
      ),
    );
  let raw: unknown;
  try {
    raw = /^[A-Za-z0-9_-]{1,1000}$/.test(q.cursor) ? JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    raw = undefined;
  }
  const c = raw as { v?: unknown; l?: unknown; s?: unknown; a?: unknown; i?: unknown } | undefined;
  if (
    !c ||
    typeof c !== 'object' ||
    c.v !== 1 ||
    typeof c.l !== 'string' ||
    typeof c.s !== 'string' ||
    typeof c.a !== 'string' ||
    !INSTANT.test(c.a) ||
    Number.isNaN(Date.parse(c.a)) ||
    typeof c.i !== 'string' ||
    c.i.length === 0 ||
    c.i.length > 300 ||
    c.i.includes('\u0000')
  )
    return fail(problem('invalid_cursor', `cursor is not one this list gave (it was changed or cut); ${RESTART}`, 'cursor'));
  if (c.l !== scope.list)
    return fail(problem('invalid_cursor', `cursor belongs to the ${c.l} list, not the ${scope.list} list; ${RESTART}`, 'cursor'));
  if (c.s !== scope.sort) {
    const [by, order] = c.s.split('.');
    return fail(
      problem(
        'invalid_cursor',
        `cursor was made for the order sortBy=${by}, sortOrder=${order?.toUpperCase()}; ask with that order, or ${RESTART}`,
        'cursor',
      ),
    );
  }
  return { ok: true, value: { at: c.a, id: c.i } };
}

/**
 * Sends one page of a keyset list: `{items}`, `Link: <…>; rel="first"` always, and when more rows exist
 * `<…cursor=…>; rel="next"` (the request's other parameters kept, `offset` dropped: the cursor says where
 * the next page starts, whether this page was asked by offset or by cursor).
 */
export function respondKeysetPage<T extends { page_key: string; id: string }>(
  c: Context<AppEnv>,
  rows: T[],
  page: Page,
  publicUrl: string,
  scope: ListCursorScope,
): T[] {
  const hasMore = rows.length > page.max;
  const items = hasMore ? rows.slice(0, page.max) : rows;
  const url = new URL(c.req.url);
  url.searchParams.delete('offset');
  url.searchParams.delete('cursor');
  const links = [`<${publicUrl}${url.pathname}${url.search}>; rel="first"`];
  const last = items.at(-1);
  if (hasMore && last) {
    url.searchParams.set('max', String(page.max));
    url.searchParams.set('cursor', encodeListCursor(scope, { at: last.page_key, id: last.id }));
    links.unshift(`<${publicUrl}${url.pathname}${url.search}>; rel="next"`);
  }
  c.header('Link', links.join(', '));
  return items;
}
