/** Civil dates as 'YYYY-MM-DD' strings; arithmetic in UTC days, no local time anywhere. */
const DAY_MS = 86_400_000;

export const isCivilDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

export const toCivilDate = (instant: Date): string => instant.toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => toCivilDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export const startOfDay = (date: string): Date => new Date(`${date}T00:00:00Z`);
