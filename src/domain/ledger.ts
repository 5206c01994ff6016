/**
 * The usage ledger as facts: "from `at` on, the subscriber holds `package` (null: nothing)".
 * Intervals come from ordering the facts, so facts arriving in any order never overlap and never
 * double count. A subscriber's first removal is final: it is gone from then on (re-adding someone
 * creates a new subscriber).
 */
export interface PackageFact {
  package: string | null;
  at: Date;
  /** Tie-breaker for facts at the same instant: the later recorded wins. */
  seq: number;
}

export interface HeldInterval {
  package: string;
  start: Date;
  /** Exclusive; null while still held. */
  end: Date | null;
}

export function deriveIntervals(facts: readonly PackageFact[]): HeldInterval[] {
  const ordered = [...facts].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
  const cutoff = ordered.find((f) => f.package === null)?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const out: HeldInterval[] = [];
  ordered.forEach((fact, i) => {
    if (fact.package === null || fact.at.getTime() >= cutoff) return;
    const next = ordered[i + 1]?.at.getTime() ?? Number.POSITIVE_INFINITY;
    const end = Math.min(next, cutoff);
    if (end <= fact.at.getTime()) return;
    out.push({ package: fact.package, start: fact.at, end: Number.isFinite(end) ? new Date(end) : null });
  });
  return out;
}

/** Ledger instants are whole seconds, so SQL and JS sums agree to the second. */
export const toLedgerInstant = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);
