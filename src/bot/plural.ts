/** "1 row", "2 rows", "1,000 customers": a count with its noun, singular only for exactly one. */
export function countOf(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}
