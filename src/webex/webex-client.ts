import { z } from 'zod';
import type { OutgoingMessage } from '../bot/outgoing.js';

/** Webex answered 429: try again after this long. */
export class WebexRateLimited extends Error {
  override readonly name = 'WebexRateLimited';
  constructor(readonly retryAfterMs: number) {
    super(`Webex rate limit: retry after ${retryAfterMs} ms`);
  }
}

export class WebexApiError extends Error {
  override readonly name = 'WebexApiError';
  constructor(
    readonly status: number,
    readonly trackingId: string | null,
    detail: string,
  ) {
    super(`Webex API answered ${status}${trackingId ? ` (trackingid ${trackingId})` : ''}: ${detail}`);
  }
  get retriable(): boolean {
    return this.status >= 500;
  }
}

const createdMessageSchema = z.object({ id: z.string(), roomId: z.string() });
const errorBodySchema = z.object({ message: z.string().optional(), trackingId: z.string().optional() }).loose();

export const MAX_DOWNLOAD_BYTES = 2_000_000;

/** The part of the Webex REST API the desk calls itself: posting messages and reading attached files. */
export interface WebexClient {
  createMessage(roomId: string, message: OutgoingMessage): Promise<{ id: string }>;
  downloadFile(url: string): Promise<{ name: string; content: Uint8Array }>;
}

/** Webex's Retry-After is in seconds; a missing or odd value means a cautious minute. */
function retryAfterMs(header: string | null): number {
  const seconds = header && /^\d{1,6}$/.test(header.trim()) ? Number(header.trim()) : 60;
  return Math.max(1, seconds) * 1_000;
}

async function failure(res: Response): Promise<Error> {
  if (res.status === 429) return new WebexRateLimited(retryAfterMs(res.headers.get('retry-after')));
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const body = errorBodySchema.parse(JSON.parse(text));
    detail = body.message ?? detail;
  } catch {
    // Not JSON: the raw text (cut) is the detail.
  }
  return new WebexApiError(res.status, res.headers.get('trackingid'), detail);
}

/**
 * A fetch-based client for the Webex REST API at `baseUrl` (HYDRA_SERVICE_URL). Messages go out as
 * JSON, or multipart when they carry a file; the bot token is only ever sent to that origin.
 */
export function createWebexClient(opts: { baseUrl: string; token: string; fetch?: typeof fetch }): WebexClient {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const auth = { authorization: `Bearer ${opts.token}` };
  return {
    async createMessage(roomId, message) {
      let res: Response;
      const file = message.files?.[0];
      if (file) {
        const form = new FormData();
        form.set('roomId', roomId);
        form.set('markdown', message.markdown);
        form.set('files', new Blob([file.content], { type: file.contentType }), file.name);
        res = await doFetch(`${base}/messages`, { method: 'POST', headers: auth, body: form });
      } else {
        res = await doFetch(`${base}/messages`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            roomId,
            markdown: message.markdown,
            ...(message.attachments ? { attachments: message.attachments } : {}),
          }),
        });
      }
      if (!res.ok) throw await failure(res);
      return createdMessageSchema.parse(await res.json());
    },
    async downloadFile(url) {
      if (new URL(url).origin !== origin) throw new WebexApiError(400, null, `refusing to send the bot token to ${new URL(url).origin}`);
      const res = await doFetch(url, { headers: auth, redirect: 'error' });
      if (!res.ok) throw await failure(res);
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > MAX_DOWNLOAD_BYTES)
        throw new WebexApiError(413, null, `the file is ${length} bytes; the limit is ${MAX_DOWNLOAD_BYTES}`);
      const content = new Uint8Array(await res.arrayBuffer());
      if (content.byteLength > MAX_DOWNLOAD_BYTES) throw new WebexApiError(413, null, `the file is over ${MAX_DOWNLOAD_BYTES} bytes`);
      const disposition = res.headers.get('content-disposition') ?? '';
      const name = /filename\*?="?(?:UTF-8'')?([^";]+)"?/i.exec(disposition)?.[1] ?? 'upload';
      return { name: decodeURIComponent(name), content };
    },
  };
}
