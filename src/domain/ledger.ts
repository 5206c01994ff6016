/**
 * The usage ledger as facts: "from `at` on, the holder (a subscriber or a workspace) holds `package`
 * in `slot` (null: nothing)". Each holder has one stream per slot: `base` for its one base package,
 * and one per add-on (the slot is the add-on's id), so an add-on accrues on its own intervals beside
 * the base package. Intervals come from ordering a stream's facts, so facts arriving in any order never
 * overlap and never double count. A removal in the base slot is final: the holder is gone from then
 * on, in every slot (re-adding someone creates a new subscriber); a null fact in an add-on slot only
 * drops that add-on until a later fact in the same slot.
 */
export interface PackageFact {
  package: string | null;
  at: Date;
  /** Tie-breaker for facts at the same instant: the later recorded wins. */
  seq: number;
  /** The stream: 'base' (the default) or an add-on's id. */
  slot?: string;
}

export const BASE_SLOT = 'base';

export interface HeldInterval {
  package: string;
  start: Date;
  /** Exclusive; null while still held. */
  end: Date | null;
}

export function deriveIntervals(facts: readonly PackageFact[]): HeldInterval[] {
  const ordered = [...facts].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
  const slotOf = (f: PackageFact) => f.slot ?? BASE_SLOT;
  const cutoff = ordered.find((f) => f.package === null && slotOf(f) === BASE_SLOT)?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const out: HeldInterval[] = [];
  for (const slot of [...new Set(ordered.map(slotOf))].sort()) {
    const stream = ordered.filter((f) => slotOf(f) === slot);
    stream.forEach((fact, i) => {
      if (fact.package === null || fact.at.getTime() >= cutoff) return;
      const next = stream[i + 1]?.at.getTime() ?? Number.POSITIVE_INFINITY;
      const end = Math.min(next, cutoff);
      if (end <= fact.at.getTime()) return;
      out.push({ package: fact.package, start: fact.at, end: Number.isFinite(end) ? new Date(end) : null });
    });
  }
  return out;
}

/** Ledger instants are whole seconds, so SQL and JS sums agree to the second. */
export const toLedgerInstant = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);
