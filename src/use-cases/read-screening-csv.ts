import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse';
import type { NewScreeningEntry } from '../db/repositories/screening-lists.js';
import { isCountryCode } from '../domain/address.js';
import { createCompactStringSet } from '../domain/compact-string-set.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { describeUtf8Fault, findUtf8Fault } from '../domain/utf8-check.js';

const REQUIRED_COLUMNS = ['_id', 'source', 'name', 'alt_names', 'addresses', 'country'] as const;
const MAX_REPORTED = 50;
/**
 * No real row comes near this; it bounds what is held while waiting for a line's end, and (as
 * characters) what the parser holds of one record, so a quoted field left open across lines is
 * refused after 1 MiB rather than buffered to the end of the file.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/**
 * Bytes of the upload parsed at a time, the event loop handed back between pieces (pieces end at a
 * line end, so only a longer line makes a longer piece). The parser works through whatever it is
 * given in one go: fed the request's chunks (up to 64 KiB, more when a line spanned them), a piece's
 * parse, the first ones not yet compiled, held the loop for tens of milliseconds.
 */
export const PARSE_PIECE_BYTES = 4 * 1024;

export interface ReadScreeningCsvOptions {
  /** Past this many bytes reading stops and the answer is `body_too_large`. */
  maxBytes: number;
  /** Rows handed to `onBatch` at a time. */
  batchSize: number;
  /** Called with each batch of valid rows, in order, while the file is still being read; awaited. */
  onBatch(entries: NewScreeningEntry[]): Promise<void>;
}

/**
 * Reads a list in the Consolidated Screening List's column naming (any column order, extra columns
 * ignored, UTF-8) as it arrives: the bytes are never held whole, only the current batch of rows and
 * the ids seen (to refuse a repeated `_id`). Every row is checked and problems name their line (the
 * first 50); once one is found no more batches are handed on, so the caller, which must roll back
 * on failure, stores nothing of a bad file. The bytes are parsed `PARSE_PIECE_BYTES` at a time, with
 * the event loop handed back between pieces (and at every batch the caller stores), so a big upload
 * never holds the loop for longer than one piece takes.
 */
export async function readScreeningCsv(
  chunks: AsyncIterable<Uint8Array>,
  opts: ReadScreeningCsvOptions,
): Promise<Result<{ entries: number }>> {
  const stop: { problem?: Problem } = {};
  const parser = parse({ info: true, skip_empty_lines: true, relax_column_count: false, trim: true, max_record_size: MAX_LINE_BYTES });
  // A parse error is also emitted (and thrown below): this keeps the emission from being unhandled.
  parser.on('error', () => undefined);

  const problems: Problem[] = [];
  // Every id seen, to refuse a repeat: as bytes, not a heap string per row (see createCompactStringSet).
  const seen = createCompactStringSet();
  let batch: NewScreeningEntry[] = [];
  /** Full batches not yet handed on: stored once the piece's records are all read (see below). */
  let ready: NewScreeningEntry[][] = [];
  let count = 0;
  let columns: Map<string, number> | undefined;
  /** Takes one record: a failure when the header lacks a column, `full` once 50 problems are found. */
  const take = ({ record, info }: { record: string[]; info: { lines: number } }): Result<never> | 'full' | undefined => {
    if (!columns) {
      const header = record.map((c) => c.trim().toLowerCase());
      const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
      if (missing.length)
        return fail(
          problem(
            'screening_list_invalid',
            `line 1: missing column(s) ${missing.join(', ')}; the header needs ${REQUIRED_COLUMNS.join(', ')}`,
          ),
        );
      columns = new Map(header.map((c, i) => [c, i]));
      return undefined;
    }
    const field = (name: (typeof REQUIRED_COLUMNS)[number]) => record[columns!.get(name)!] ?? '';
    const line = info.lines;
    const bad = (message: string) => problems.push(problem('screening_list_invalid', `line ${line}: ${message}`));
    const id = field('_id');
    const name = field('name');
    const country = field('country').toUpperCase();
    if (!id) bad('_id is empty');
    else if (!seen.add(id)) bad(`_id ${id} appears twice`);
    if (!name) bad('name is empty');
    if (country && !isCountryCode(country))
      bad(`country "${field('country')}" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)`);
    count += 1;
    if (problems.length >= MAX_REPORTED) return 'full';
    if (problems.length) return undefined;
    batch.push({
      id,
      source: field('source'),
      name,
      addresses: field('addresses'),
      altNames: field('alt_names')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      country: country || null,
    });
    if (batch.length >= opts.batchSize) {
      ready.push(batch);
      batch = [];
    }
    return undefined;
  };
  type Item = { record: string[]; info: { lines: number } };
  /**
   * Hands on the batches filled by the records just read (none once a problem is found). A piece's
   * records are all read, synchronously, before any batch is stored: records left waiting in the
   * parser while a batch went to the database outlived the young generation's collections, and were
   * over half of what the load moved into the old generation to die there (43 of 81 MB for a 16 MB
   * list, in a sampling heap profile of what minor collections did not free): garbage the heap grew by.
   */
  const storeReady = async () => {
    const batches = ready;
    ready = [];
    if (problems.length) return;
    for (const b of batches) await opts.onBatch(b);
  };
  try {
    let full = false;
    reading: for await (const piece of pieces(chunks, opts.maxBytes, stop)) {
      parser.write(piece);
      // The parse runs within write(); an error there stops the file, the piece's records unread.
      if (parser.errored) throw parser.errored;
      for (let item = parser.read() as Item | null; item !== null; item = parser.read() as Item | null) {
        const taken = take(item);
        if (taken === 'full') {
          full = true;
          break reading;
        }
        if (taken) {
          parser.destroy();
          return taken;
        }
      }
      await storeReady();
      await yieldToEventLoop();
    }
    if (stop.problem) {
      parser.destroy();
      return fail(stop.problem);
    }
    if (full) parser.destroy();
    else {
      parser.end();
      for await (const item of parser as AsyncIterable<Item>) {
        const taken = take(item);
        if (taken === 'full') break;
        if (taken) return taken;
      }
      await storeReady();
    }
  } catch (error) {
    parser.destroy();
    if (stop.problem) return fail(stop.problem);
    const line = (error as { lines?: number }).lines;
    if ((error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE')
      return fail(
        ...problems,
        problem(
          'screening_list_invalid',
          `line ${line ?? '?'}: a record longer than ${MAX_LINE_BYTES} characters (a quoted field left open?); is this a screening list?`,
        ),
      );
    return fail(
      ...problems,
      problem('screening_list_invalid', `${line ? `line ${line}: ` : ''}${error instanceof Error ? error.message : String(error)}`),
    );
  }
  if (problems.length) return fail(...problems.slice(0, MAX_REPORTED));
  if (!columns)
    return fail(
      problem(
        'screening_list_invalid',
        `line 1: missing column(s) ${REQUIRED_COLUMNS.join(', ')}; the header needs ${REQUIRED_COLUMNS.join(', ')}`,
      ),
    );
  if (count === 0) return fail(problem('screening_list_invalid', 'the list has no entries'));
  if (batch.length) await opts.onBatch(batch);
  return ok({ entries: count });
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The upload in pieces of whole lines, each checked as UTF-8 (a newline byte never occurs inside a
 * UTF-8 sequence, so a bad byte is found on its line) and at most `PARSE_PIECE_BYTES` long unless one
 * line is longer. A leading byte-order mark is dropped. Stops, setting `stop.problem`, past `maxBytes`
 * or at the first line that is not UTF-8.
 */
async function* pieces(chunks: AsyncIterable<Uint8Array>, maxBytes: number, stop: { problem?: Problem }): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let size = 0;
  let line = 1;
  let first = true;
  /** The piece as handed to the parser, or undefined (and `stop.problem` set) when it is not UTF-8. */
  const check = (piece: Uint8Array): Uint8Array | undefined => {
    if (!isUtf8(piece)) {
      // A piece is whole lines, so the fault's byte is already counted from its line's start.
      const fault = findUtf8Fault(piece) ?? { line: 1, byte: 1, bytes: '?' };
      stop.problem = problem('screening_list_invalid', describeUtf8Fault({ ...fault, line: line + fault.line - 1 }));
      return undefined;
    }
    for (let i = 0; i < piece.length; i += 1) if (piece[i] === 0x0a) line += 1;
    const out = first && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf ? piece.subarray(3) : piece;
    first = false;
    return out;
  };
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      stop.problem = problem('body_too_large', `the list is larger than ${maxBytes} bytes`);
      return;
    }
    const cut = chunk.lastIndexOf(0x0a);
    if (cut < 0) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes > MAX_LINE_BYTES) {
        stop.problem = problem('screening_list_invalid', `line ${line}: longer than ${MAX_LINE_BYTES} bytes; is this a screening list?`);
        return;
      }
      continue;
    }
    // The line the previous chunks began ends with this chunk's first newline; whole lines follow.
    let at = 0;
    if (pendingBytes > 0) {
      at = chunk.indexOf(0x0a) + 1;
      pending.push(chunk.subarray(0, at));
      const piece = check(concat(pending));
      if (piece === undefined) return;
      yield piece;
    }
    while (at <= cut) {
      let end = cut + 1;
      if (end - at > PARSE_PIECE_BYTES) {
        const before = chunk.lastIndexOf(0x0a, at + PARSE_PIECE_BYTES - 1);
        end = (before >= at ? before : chunk.indexOf(0x0a, at + PARSE_PIECE_BYTES)) + 1;
      }
      const piece = check(chunk.subarray(at, end));
      if (piece === undefined) return;
      yield piece;
      at = end;
    }
    pendingBytes = chunk.byteLength - cut - 1;
    pending = pendingBytes > 0 ? [chunk.subarray(cut + 1)] : [];
  }
  const rest = concat(pending);
  if (rest.length) {
    const piece = check(rest);
    if (piece !== undefined) yield piece;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
