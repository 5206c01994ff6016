import { availableParallelism, loadavg } from 'node:os';
import { renderInvoicePdf } from '../src/platform/render-invoice-pdf.js';
import { toIssuedInvoiceCsv } from '../src/use-cases/issued-invoice-csv.js';
import { issuedInvoiceFixture, logoPng } from '../test/support/issued-invoice-fixtures.js';

const seller = { name: 'Northwind Telecom Services Ltd', address: ['10 Quay Street', 'Dublin D02 X285', 'Ireland'], logoPng: logoPng() };

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/** Wall-clock ms of each run, and the process's CPU ms in each (less sensitive to a loaded machine). */
async function timeEach(runs: number, work: () => unknown): Promise<number[] & { cpu: number[] }> {
  const ms = Object.assign([] as number[], { cpu: [] as number[] });
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    ms.cpu.push((c.user + c.system) / 1000);
  }
  return ms;
}

/**
 * An issued invoice rendered on demand as a PDF (what GET /v1/billing/invoices/{number} with
 * Accept: application/pdf and chat's `invoice` do), for 5 and 42 lines with adjustments and a logo;
 * the baseline is the same invoice as CSV and JSON, measured in the same run. Target: < 200 ms each.
 */
export async function benchInvoicePdf(): Promise<{ p95: number }> {
  let worst = 0;
  for (const lines of [5, 42]) {
    const inv = issuedInvoiceFixture({ lines, adjustments: 6 });
    await timeEach(5, () => renderInvoicePdf(inv, seller)); // warm: fonts parsed, code compiled
    const pdf = await timeEach(40, () => renderInvoicePdf(inv, seller));
    const base = await timeEach(40, () => toIssuedInvoiceCsv(inv) + JSON.stringify(inv));
    const size = (await renderInvoicePdf(inv, seller)).byteLength;
    const p50 = quantile(pdf, 0.5);
    const p95 = quantile(pdf, 0.95);
    worst = Math.max(worst, p95);
    console.log(
      `invoice PDF, ${lines} lines + 6 adjustments (${(size / 1024).toFixed(0)} KB): median ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...pdf).toFixed(1)} ms; ` +
        `CPU median ${quantile(pdf.cpu, 0.5).toFixed(1)} ms; CSV + JSON of the same invoice median ${quantile(base, 0.5).toFixed(2)} ms, CPU ${quantile(base.cpu, 0.5).toFixed(2)} ms (PDF ${(quantile(pdf.cpu, 0.5) / quantile(base.cpu, 0.5)).toFixed(0)}× in CPU)`,
    );
  }
  console.log(
    `invoice PDF target (< 200 ms each, p95): ${worst < 200 ? 'met' : 'NOT met'} (${worst.toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
  );
  return { p95: worst };
}
