import type { ScaleBenchContext, ScaleFigure } from './scale-seed.js';

/**
 * The read-path figures of the scale bench (lists, dashboard, one customer's page, one invoice, console
 * search), each beside its floor. Owned by the scale-reads work (branch h/scale-reads), which replaces
 * this file; until it is merged this branch measures no read path, and says so.
 */
export async function measureScaleReads(ctx: ScaleBenchContext): Promise<ScaleFigure[]> {
  console.log(
    `  read paths at ${ctx.seed.subscribers.toLocaleString('en')} subscribers: not measured on this branch (bench/scale-reads.ts from h/scale-reads measures them)`,
  );
  return [];
}
