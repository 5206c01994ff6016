const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export interface Month {
  year: number;
  /** 1–12 */
  month: number;
}

/**
 * "March" (the latest March not after this month), "march 2026", "Mar 2026", "2026-03", "last month",
 * "this month"; undefined when it is none of these.
 */
export function parseMonth(input: string, now: Date): Month | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  if (text === 'last month') return thisMonth === 1 ? { year: thisYear - 1, month: 12 } : { year: thisYear, month: thisMonth - 1 };
  if (text === 'this month') return { year: thisYear, month: thisMonth };
  const iso = /^(\d{4})-(\d{2})$/.exec(text);
  if (iso) {
    const month = Number(iso[2]);
    return month >= 1 && month <= 12 ? { year: Number(iso[1]), month } : undefined;
  }
  const named = /^([a-z]+)(?: (\d{4}))?$/.exec(text);
  if (!named) return undefined;
  const word = named[1]!;
  // Full names, or an unambiguous prefix of three letters or more ("mar", "sept").
  const matches = word.length >= 3 ? MONTHS.filter((m) => m.startsWith(word)) : [];
  if (matches.length !== 1) return undefined;
  const index = MONTHS.indexOf(matches[0]!);
  const month = index + 1;
  if (named[2]) return { year: Number(named[2]), month };
  return { year: month > thisMonth ? thisYear - 1 : thisYear, month };
}

export const formatMonth = (m: Month): string => `${m.year}-${String(m.month).padStart(2, '0')}`;
export const monthName = (m: Month): string => `${MONTHS[m.month - 1]![0]!.toUpperCase()}${MONTHS[m.month - 1]!.slice(1)} ${m.year}`;
