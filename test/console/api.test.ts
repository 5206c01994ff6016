import { describe, expect, it, vi } from 'vitest';
import { type Credential, createApi, isAbort, SignedOutError } from '../../src/console/app/api.js';

/** A fetch that records each call and answers when the test says so. */
function recordingFetch() {
  const calls: { path: string; init: RequestInit; answer: (res: Response) => void }[] = [];
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      calls.push({ path: String(input), init, answer: resolve });
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });
  return { calls, fetch: fetch as typeof globalThis.fetch };
}
const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const headersOf = (init: RequestInit) => init.headers as Record<string, string>;

describe('the console api module', () => {
  it('signs every request with the API token, and sends no CSRF token with it', async () => {
    const { calls, fetch } = recordingFetch();
    const api = createApi({ fetch });
    api.setCredential({ kind: 'token', token: 'wdk_secret' });
    const get = api.json('GET', '/v1/console/dashboard');
    const post = api.json('POST', '/v1/console/messages', { json: { text: 'help' } });
    expect(calls.map((c) => headersOf(c.init))).toEqual([
      { authorization: 'Bearer wdk_secret' },
      { authorization: 'Bearer wdk_secret', 'content-type': 'application/json' },
    ]);
    expect(calls[1]!.init.body).toBe('{"text":"help"}');
    for (const c of calls) c.answer(ok({}));
    await Promise.all([get, post]);
  });

  it("sends a person's CSRF token with every change (not with reads), uploads and deletes included", async () => {
    const { calls, fetch } = recordingFetch();
    const api = createApi({ fetch });
    api.setCredential({ kind: 'session', csrfToken: 'csrf-1' });
    void api.send('GET', '/v1/billing/invoices');
    void api.send('POST', '/v1/billing/reconciliations', { body: 'a,b\n', contentType: 'text/csv' });
    void api.send('DELETE', '/v1/console/access/tokens/t1');
    expect(calls.map((c) => headersOf(c.init))).toEqual([
      {},
      { 'x-csrf-token': 'csrf-1', 'content-type': 'text/csv' },
      { 'x-csrf-token': 'csrf-1' },
    ]);
    expect(calls.every((c) => c.init.credentials === 'same-origin')).toBe(true);
  });

  it('aborts the requests of the page left, and only those: the chat lives on', async () => {
    const { calls, fetch } = recordingFetch();
    const api = createApi({ fetch });
    const pageRequest = api.json('GET', '/v1/console/audit');
    const chat = api.json('POST', '/v1/console/messages', { json: { text: 'help' }, lifetime: 'desk' });
    api.navigated();
    await expect(pageRequest).rejects.toSatisfy(isAbort);
    expect(calls[0]!.init.signal?.aborted).toBe(true);
    expect(calls[1]!.init.signal?.aborted ?? false).toBe(false);
    calls[1]!.answer(ok({ replies: [] }));
    expect(await chat).toEqual({ replies: [] });
    // The next page's requests are not aborted by the last navigation.
    const next = api.json('GET', '/v1/console/customers');
    calls[2]!.answer(ok({ items: [] }));
    expect(await next).toEqual({ items: [] });
  });

  it('does not read an answer that arrives after its page was left', async () => {
    const answered: Response[] = [];
    const api = createApi({
      fetch: async () => {
        api.navigated(); // the person clicks away while the answer is on its way
        const res = ok({ stale: true });
        answered.push(res);
        return res;
      },
    });
    await expect(api.json('GET', '/v1/console/customers')).rejects.toSatisfy(isAbort);
    expect(answered[0]!.bodyUsed).toBe(false);
  });

  it('reports a refused credential once and throws SignedOutError; a problem throws its message', async () => {
    const refused: Credential[] = [];
    let status = 401;
    const api = createApi({
      fetch: async () => new Response(JSON.stringify({ message: 'No such customer.' }), { status }),
      onRefused: (c) => refused.push(c),
    });
    api.setCredential({ kind: 'token', token: 'wdk_old' });
    await expect(api.json('GET', '/v1/console/dashboard')).rejects.toBeInstanceOf(SignedOutError);
    expect(refused).toEqual([{ kind: 'token', token: 'wdk_old' }]);
    status = 404;
    await expect(api.json('GET', '/v1/console/customers/x')).rejects.toMatchObject({
      name: 'ApiError',
      status: 404,
      message: 'No such customer.',
    });
    expect(refused).toHaveLength(1);
  });

  it('downloads with the credential and saves the answer under the name given', async () => {
    const saved: [string, string][] = [];
    const seen: RequestInit[] = [];
    const api = createApi({
      fetch: async (_path, init) => {
        seen.push(init ?? {});
        return new Response('a,b\n', { status: 200 });
      },
      save: vi.fn(async (blob: Blob, name: string) => {
        saved.push([name, await blob.text()]);
      }),
    });
    api.setCredential({ kind: 'token', token: 'wdk_t' });
    await api.download('/v1/billing/invoices/INV-1', 'invoice-INV-1.csv', 'text/csv');
    await vi.waitFor(() => expect(saved).toEqual([['invoice-INV-1.csv', 'a,b\n']]));
    expect(headersOf(seen[0]!)).toEqual({ authorization: 'Bearer wdk_t', accept: 'text/csv' });
  });
});
