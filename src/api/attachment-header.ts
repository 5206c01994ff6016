import { create } from 'content-disposition';

/**
 * `Content-Disposition: attachment` for a file name built from user data (an externalId): RFC 6266
 * with an RFC 8187 `filename*` for the exact name and a plain-ASCII `filename` fallback in which
 * anything but letters, digits, `.`, `_` and `-` becomes `_`, so no quote or semicolon in the data
 * can add a parameter, and a non-Latin-1 name cannot break the header.
 */
export function attachmentHeader(filename: string): string {
  return create(filename, { fallback: filename.replace(/[^A-Za-z0-9._-]/g, '_') });
}

/** A CSV file streamed as a download: never cached, since each one is a partner's own figures. */
export function csvAttachment(body: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentHeader(filename),
      'Cache-Control': 'no-store',
    },
  });
}
