// How the console writes figures and times (UTC throughout).
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Integer minor units as "1,234.50 USD" (two decimals, the currency after). */
export const formatMoney = (minor: number, currency: string | null) =>
  `${moneyFormat.format(minor / 100)}${currency ? ` ${currency}` : ''}`;
export const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** An ISO instant as "2026-06-01 12:00". */
export const utcMinute = (iso: string) => iso.slice(0, 16).replace('T', ' ');
/** An id with underscores as words: "pending_review" → "pending review". */
export const words = (s: string) => s.replace(/_/g, ' ');
/** Minor units as "12.50" (no grouping, no currency). */
export const minorToText = (minor: number) => (minor / 100).toFixed(2);
