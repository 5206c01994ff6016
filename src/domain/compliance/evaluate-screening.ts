import type { ScreenedAddress } from './address-agreement.js';
import { buildScreeningIndex, screenName, type ScreeningEntry } from './screening-index.js';

export interface LabelledPair {
  customer: string;
  customerCountry: string;
  /** When given, the customer's address is screened too (an agreeing list address raises the score). */
  customerAddress?: ScreenedAddress | undefined;
  listName: string;
  same: boolean;
}

export interface Quality {
  threshold: number;
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Precision and recall of the screener on labelled pairs, at one threshold. */
export function evaluateScreening(entries: readonly ScreeningEntry[], pairs: readonly LabelledPair[], threshold: number): Quality {
  const index = buildScreeningIndex(entries);
  const byName = new Map(entries.map((e) => [e.name, e.id]));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const pair of pairs) {
    const target = byName.get(pair.listName);
    const hit = screenName(index, { name: pair.customer, country: pair.customerCountry, address: pair.customerAddress }, threshold).some(
      (m) => m.entryId === target,
    );
    if (hit && pair.same) tp += 1;
    else if (hit && !pair.same) fp += 1;
    else if (!hit && pair.same) fn += 1;
  }
  return {
    threshold,
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp + fn ? tp / (tp + fn) : 1,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
  };
}
