import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { ReportType } from '../domain/billing-reports.js';
import { type FileLayout, type FileLine, readFileLayout, readFileLine, REQUIRED_FILE_COLUMNS } from '../domain/billing-report-file.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';

const MAX_REPORTED = 20;
/** A billing report line is a few hundred bytes; this bounds what is held while waiting for a line's end. */
const MAX_LINE_BYTES = 64 * 1024;

export interface ReadBillingReportOptions {
  period: { from: string; to: string };
  /** Past this many bytes reading stops and the answer is `body_too_large`. */
  maxBytes: number;
  batchSize: number;
  /** Called with the report type once the header is read, before any batch. */
  onLayout?(type: ReportType): Promise<void>;
  /** Each batch of lines in file order, while the file is still being read; awaited. */
  onBatch(lines: FileLine[]): Promise<void>;
}

/**
 * Reads Cisco's billing report CSV as it arrives (csv-parse: quoted fields with commas, quotes and
 * line breaks, a byte-order mark, CRLF or LF); only the current batch is held, so memory does not
 * grow with the file. The header decides the type; a file lacking a column matching needs is refused
 * naming every missing column. Lines are checked as they come; once one is bad, no more batches are
 * handed on (the caller rolls back), and the first 20 problems are returned with their line numbers.
 */
export async function readBillingReportCsv(
  chunks: AsyncIterable<Uint8Array>,
  opts: ReadBillingReportOptions,
): Promise<Result<{ type: ReportType; lines: number }>> {
  const stop: { problem?: Problem } = {};
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_LINE_BYTES,
  });
  const feeding = pipeline(Readable.from(capBytes(chunks, opts.maxBytes, stop)), parser).catch(() => undefined);
  const problems: Problem[] = [];
  let layout: FileLayout | undefined;
  let batch: FileLine[] = [];
  let lines = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!layout) {
        const read = readFileLayout(record);
        if (!read.ok) {
          parser.destroy();
          await feeding;
          // A header cut short by the size cap is the cap's problem, not a missing column.
          return fail(stop.problem ?? missingColumns(read.type, read.missing));
        }
        layout = read.layout;
        await opts.onLayout?.(layout.type);
        continue;
      }
      const line = readFileLine(record, layout, opts.period);
      lines += 1;
      if (!line.ok) {
        problems.push(problem('billing_report_file_invalid', `line ${info.lines}: ${line.message}`));
        if (problems.length >= MAX_REPORTED) {
          parser.destroy();
          break;
        }
        continue;
      }
      if (problems.length) continue;
      batch.push(line.line);
      if (batch.length >= opts.batchSize) {
        await opts.onBatch(batch);
        batch = [];
      }
    }
  } catch (error) {
    if (stop.problem) return fail(stop.problem);
    const line = (error as { lines?: number }).lines;
    return fail(
      ...problems,
      problem('billing_report_file_invalid', `${line ? `line ${line}: ` : ''}${error instanceof Error ? error.message : String(error)}`),
    );
  }
  await feeding;
  if (stop.problem) return fail(stop.problem);
  if (problems.length) return fail(...problems);
  if (!layout) return fail(missingColumns('PARTNER', [...REQUIRED_FILE_COLUMNS.PARTNER]));
  if (batch.length) await opts.onBatch(batch);
  return ok({ type: layout.type, lines });
}

const missingColumns = (type: ReportType, missing: readonly string[]) =>
  problem(
    'billing_report_file_invalid',
    `not a Webex billing report: missing column(s) ${missing.join(', ')} (a ${type} report needs ${REQUIRED_FILE_COLUMNS[type].join(', ')})`,
  );

/** The upload's chunks, stopping (with `stop.problem`) once more than `maxBytes` have come. */
async function* capBytes(chunks: AsyncIterable<Uint8Array>, maxBytes: number, stop: { problem?: Problem }): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      stop.problem = problem('body_too_large', `the file is larger than ${maxBytes} bytes`);
      return;
    }
    yield chunk;
  }
}
