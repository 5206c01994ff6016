import { streamReportChunks } from '../db/repositories/billing-reports.js';
import type { Db } from '../db/schema.js';
import { toCsvLine } from '../domain/csv.js';

/** What a report's CSV is read by: its id (the stored chunks) and the header its rows were written under. */
export interface ReportColumns {
  id: string;
  columns: string[];
}

/**
 * Streams a report's CSV chunk by chunk: memory stays flat however large the report. The header is
 * the column list stored with the report, the one its rows were written under (an older report keeps
 * its older order), never today's list.
 */
export async function csvStream(db: Db, report: ReportColumns): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const chunks = streamReportChunks(db, report.id);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(toCsvLine(report.columns)));
        return;
      }
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The whole CSV as text, for chat attachments (reports sent in chat are month-sized). */
export async function reportCsvText(db: Db, report: ReportColumns): Promise<string> {
  let content = '';
  const reader = (await csvStream(db, report)).getReader();
  const decoder = new TextDecoder();
  for (let r = await reader.read(); !r.done; r = await reader.read()) content += decoder.decode(r.value, { stream: true });
  return content + decoder.decode();
}
