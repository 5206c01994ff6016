import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { NewScreeningEntry } from '../db/repositories/screening-lists.js';
import { isCountryCode } from '../domain/address.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { findUtf8Fault } from '../domain/utf8-check.js';

const REQUIRED_COLUMNS = ['_id', 'source', 'name', 'alt_names', 'addresses', 'country'] as const;
const MAX_REPORTED = 50;
/**
 * No real row comes near this; it bounds what is held while waiting for a line's end, and (as
 * characters) what the parser holds of one record, so a quoted field left open across lines is
 * refused after 1 MiB rather than buffered to the end of the file.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

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
 * on failure, stores nothing of a bad file.
 */
export async function readScreeningCsv(
  chunks: AsyncIterable<Uint8Array>,
  opts: ReadScreeningCsvOptions,
): Promise<Result<{ entries: number }>> {
  const stop: { problem?: Problem } = {};
  const parser = parse({ info: true, skip_empty_lines: true, relax_column_count: false, trim: true, max_record_size: MAX_LINE_BYTES });
  const feeding = pipeline(Readable.from(decodeUtf8(chunks, opts.maxBytes, stop)), parser).catch(() => undefined);

  const problems: Problem[] = [];
  const seen = new Set<string>();
  let batch: NewScreeningEntry[] = [];
  let count = 0;
  let columns: Map<string, number> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        const header = record.map((c) => c.trim().toLowerCase());
        const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
        if (missing.length) {
          parser.destroy();
          return fail(
            problem(
              'screening_list_invalid',
              `line 1: missing column(s) ${missing.join(', ')}; the header needs ${REQUIRED_COLUMNS.join(', ')}`,
            ),
          );
        }
        columns = new Map(header.map((c, i) => [c, i]));
        continue;
      }
      const field = (name: (typeof REQUIRED_COLUMNS)[number]) => record[columns!.get(name)!] ?? '';
      const line = info.lines;
      const bad = (message: string) => problems.push(problem('screening_list_invalid', `line ${line}: ${message}`));
      const id = field('_id');
      const name = field('name');
      const country = field('country').toUpperCase();
      if (!id) bad('_id is empty');
      else if (seen.has(id)) bad(`_id ${id} appears twice`);
      if (!name) bad('name is empty');
      if (country && !isCountryCode(country))
        bad(`country "${field('country')}" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)`);
      seen.add(id);
      count += 1;
      if (problems.length >= MAX_REPORTED) {
        parser.destroy();
        break;
      }
      if (problems.length) continue;
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
        await opts.onBatch(batch);
        batch = [];
      }
    }
  } catch (error) {
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
  await feeding;
  if (stop.problem) return fail(stop.problem);
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

/**
 * The upload as text, cut at line ends (a newline byte never occurs inside a UTF-8 sequence, so each
 * piece decodes alone and a bad byte is found on its line). Stops, setting `stop.problem`, past
 * `maxBytes` or at the first line that is not UTF-8.
 */
async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>, maxBytes: number, stop: { problem?: Problem }): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let size = 0;
  let line = 1;
  let first = true;
  const decode = (piece: Uint8Array): string | undefined => {
    try {
      const text = decoder.decode(piece);
      for (let i = 0; i < piece.length; i += 1) if (piece[i] === 0x0a) line += 1;
      const out = first ? text.replace(/^\uFEFF/, '') : text;
      first = false;
      return out;
    } catch {
      stop.problem = problem(
        'screening_list_invalid',
        `line ${line + (findUtf8Fault(piece)?.line ?? 1) - 1}: the file is not UTF-8; save it as UTF-8 and upload it again`,
      );
      return undefined;
    }
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
    pending.push(chunk.subarray(0, cut + 1));
    const text = decode(concat(pending));
    pending = [chunk.subarray(cut + 1)];
    pendingBytes = chunk.byteLength - cut - 1;
    if (text === undefined) return;
    yield text;
  }
  const rest = concat(pending);
  if (rest.length) {
    const text = decode(rest);
    if (text !== undefined) yield text;
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
