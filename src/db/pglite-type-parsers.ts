/** The type OIDs both drivers parse the desk's way. */
export const INT8_OID = 20;
export const DATE_OID = 1082;

// int8 holds counts and serial ids that stay far below 2^53; both drivers otherwise disagree
// (pg: string, PGlite: number). A date is a civil date, never a local-midnight JS Date.
export const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
};
export const parseDate = (value: string): string => value;
