/** A cell a spreadsheet would run as a formula (OWASP "CSV injection"); a plain number is only a number. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Text that Excel, LibreOffice or Sheets would take for a formula (it starts with =, +, -, @, a tab
 * or a carriage return) gets a leading apostrophe, as OWASP recommends, so it is shown as text;
 * numbers such as -1.5 stay numbers. The report SQL's csv_field does the same.
 */
export const neutraliseFormula = (s: string): string => (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s);

/** One RFC 4180 CSV line: formulas neutralised, fields with a comma, quote or line break quoted, quotes doubled. */
export function toCsvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields
    .map((f) => {
      const s = f === null || f === undefined ? '' : neutraliseFormula(String(f));
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',')}\r\n`;
}
