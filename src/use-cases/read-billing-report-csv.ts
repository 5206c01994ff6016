import type { ReportType } from '../domain/billing-reports.js';
import { type FileLayout, type FileLine, readFileLayout, readFileLine, REQUIRED_FILE_COLUMNS } from '../domain/billing-report-file.js';
import { type CsvRecord, CsvSyntaxError, createCsvSplitter } from '../domain/csv-records.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { createUtf8Checker, describeUtf8Fault } from '../domain/utf8-check.js';

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
 * Reads Cisco's billing report CSV as it arrives (src/domain/csv-records.ts: quoted fields with commas,
 * quotes and line breaks, a byte-order mark, CRLF or LF); only the current batch is held, so memory does not
 * grow with the file. The header decides the type; a file lacking a column matching needs is refused
 * naming every missing column. Lines are checked as they come; once one is bad, no more batches are
 * handed on (the caller rolls back), and the first 20 problems are returned with their line numbers.
 */
export async function readBillingReportCsv(
  chunks: AsyncIterable<Uint8Array>,
  opts: ReadBillingReportOptions,
): Promise<Result<{ type: ReportType; lines: number }>> {
  const stop: { problem?: Problem } = {};
  const splitter = createCsvSplitter(MAX_LINE_BYTES);
  const decoder = new TextDecoder();
  const problems: Problem[] = [];
  let layout: FileLayout | undefined;
  let batch: FileLine[] = [];
  let lines = 0;
  /** Handles one piece's records; false once reading should stop (a bad header, or enough bad lines). */
  const handle = async (records: CsvRecord[]): Promise<Result<true> | false> => {
    for (const { fields, line: at } of records) {
      if (!layout) {
        const read = readFileLayout(fields);
        // A header cut short by the size cap is the cap's problem, not a missing column.
        if (!read.ok) return fail(stop.problem ?? missingColumns(read.type, read.missing));
        layout = read.layout;
        await opts.onLayout?.(layout.type);
        continue;
      }
      const line = readFileLine(fields, layout, opts.period);
      lines += 1;
      if (!line.ok) {
        problems.push(problem('billing_report_file_invalid', `line ${at}: ${line.message}`));
        if (problems.length >= MAX_REPORTED) return false;
        continue;
      }
      if (problems.length) continue;
      batch.push(line.line);
      if (batch.length >= opts.batchSize) {
        await opts.onBatch(batch);
        batch = [];
      }
    }
    return ok(true);
  };
  try {
    let done = false;
    for await (const chunk of requireUtf8(capBytes(chunks, opts.maxBytes, stop), stop)) {
      const handled = await handle(splitter.push(decoder.decode(chunk, { stream: true })));
      if (handled === false) {
        done = true;
        break;
      }
      if (!handled.ok) return handled;
    }
    if (!done && !stop.problem) {
      const handled = await handle(splitter.push(decoder.decode()).concat(splitter.end()));
      if (handled !== false && !handled.ok) return handled;
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    if (stop.problem) return fail(stop.problem);
    return fail(...problems, problem('billing_report_file_invalid', `line ${error.lines}: ${error.message}`));
  }
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

/**
 * The chunks, checked for UTF-8 before they are decoded: a file in another encoding (Latin-1 from an
 * old spreadsheet) would otherwise read as replacement characters and match nothing. The first bad
 * sequence stops reading (with `stop.problem`), naming its line and byte; a byte-order mark passes.
 */
async function* requireUtf8(chunks: AsyncIterable<Uint8Array>, stop: { problem?: Problem }): AsyncGenerator<Uint8Array> {
  const checker = createUtf8Checker();
  for await (const chunk of chunks) {
    const fault = checker.push(chunk);
    if (fault) {
      stop.problem = problem('billing_report_file_invalid', describeUtf8Fault(fault));
      return;
    }
    yield chunk;
  }
  const fault = checker.end();
  if (fault) stop.problem = problem('billing_report_file_invalid', describeUtf8Fault(fault));
}

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
