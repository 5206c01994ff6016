import { editDistance } from '../domain/near-names.js';

export { editDistance };

/** The closest name within a third of its length, if any. */
export function closest(input: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(input.toLowerCase(), name);
    if (d <= Math.max(2, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}
