/** One RFC 4180 CSV line: fields with a comma, quote or line break are quoted, quotes doubled. */
export function toCsvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields
    .map((f) => {
      const s = f === null || f === undefined ? '' : String(f);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',')}\r\n`;
}
