// The console's one door to the desk's API: every request, upload and download goes through here, so
// the credential is written once. A person signed in through the identity provider holds an HttpOnly
// session cookie the page never sees and sends the session's CSRF token with every change; automation
// and desks without an identity provider paste an API token, sent as a bearer token.
//
// A page's requests end with the page: leaving it (`navigated()`) aborts what it still waits for, so
// an answer meant for the page left never lands on the next one. The desk's own frame (chat, inbox)
// asks with `lifetime: 'desk'` and lives on.

/** Who the requests are made as: nobody yet, an API token, or a person's session (its CSRF token). */
export type Credential = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'session'; csrfToken: string };

/** An answer other than 2xx: `message` is the problem's own words when the API gave them. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The credential was refused (401): the console has signed out already; callers show nothing more. */
export class SignedOutError extends Error {
  constructor() {
    super('unauthorised');
    this.name = 'SignedOutError';
  }
}

/** The request belonged to a page that was left (or a newer request replaced it). */
export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** A body as it is (a CSV file), with its content type. */
  body?: Blob | string;
  contentType?: string;
  accept?: string;
  /** 'page' (default): aborted when the page is left. 'desk': the chat and the inbox, which outlive pages. */
  lifetime?: 'page' | 'desk';
  /** Aborts this request too (useApi passes one to drop a request a newer one replaced). */
  signal?: AbortSignal;
}

export interface Api {
  /** The answer's JSON (null for a 204). Throws ApiError, SignedOutError, or an AbortError. */
  json<T>(method: Method, path: string, options?: RequestOptions): Promise<T>;
  /** The answer itself, checked for 2xx (a CSV or PDF to read as a Blob). */
  send(method: Method, path: string, options?: RequestOptions): Promise<Response>;
  /** Saves what the API answers as a file (it needs the caller's credential, so a plain link will not do). */
  download(path: string, filename: string, accept: string): Promise<void>;
  /** The page was left: its requests still waiting are aborted. */
  navigated(): void;
  /** The signal of the current page's requests. */
  pageSignal(): AbortSignal;
  credential(): Credential;
  setCredential(credential: Credential): void;
}

export interface ApiOptions {
  fetch?: typeof fetch;
  /** A 401: the credential no longer works. Called once per refusal, before the request throws. */
  onRefused?: (credential: Credential) => void;
  /** Saves a Blob as a file (the browser's anchor-with-download by default). */
  save?: (blob: Blob, filename: string) => void;
}

function saveWithAnchor(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function createApi(options: ApiOptions = {}): Api {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const save = options.save ?? saveWithAnchor;
  let credential: Credential = { kind: 'none' };
  let page = new AbortController();

  function headersFor(method: Method, o: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {};
    if (credential.kind === 'token') headers.authorization = `Bearer ${credential.token}`;
    else if (credential.kind === 'session' && method !== 'GET') headers['x-csrf-token'] = credential.csrfToken;
    if (o.json !== undefined) headers['content-type'] = 'application/json';
    else if (o.contentType) headers['content-type'] = o.contentType;
    if (o.accept) headers.accept = o.accept;
    return headers;
  }

  async function send(method: Method, path: string, o: RequestOptions = {}): Promise<Response> {
    const signals = [o.lifetime === 'desk' ? undefined : page.signal, o.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const asked = credential;
    const res = await doFetch(path, {
      method,
      headers: headersFor(method, o),
      credentials: 'same-origin',
      body: o.json !== undefined ? JSON.stringify(o.json) : o.body,
      ...(signal ? { signal } : {}),
    });
    // An answer that arrives after its page was left is not read either.
    signal?.throwIfAborted();
    if (res.status === 401) {
      options.onRefused?.(asked);
      throw new SignedOutError();
    }
    if (!res.ok) {
      const problem: unknown = await res.json().catch(() => undefined);
      const message = (problem as { message?: unknown } | undefined)?.message;
      throw new ApiError(typeof message === 'string' && message ? message : `HTTP ${res.status}`, res.status, problem);
    }
    return res;
  }

  return {
    send,
    async json<T>(method: Method, path: string, o?: RequestOptions): Promise<T> {
      const res = await send(method, path, o);
      // A 204 (DELETE) has no body to parse.
      return (res.status === 204 ? null : await res.json()) as T;
    },
    async download(path, filename, accept) {
      const res = await send('GET', path, { accept });
      save(await res.blob(), filename);
    },
    navigated() {
      page.abort();
      page = new AbortController();
    },
    pageSignal: () => page.signal,
    credential: () => credential,
    setCredential(next) {
      credential = next;
    },
  };
}

/** An error's words for the page: nothing for a request dropped on purpose or a refused credential (the desk signs out). */
export function errorText(error: unknown): string {
  if (isAbort(error) || error instanceof SignedOutError) return '';
  return error instanceof Error ? error.message : String(error);
}
