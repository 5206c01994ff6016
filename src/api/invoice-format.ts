/** The forms an issued invoice is served in, by media type. */
export const INVOICE_FORMATS = { 'application/json': 'json', 'application/pdf': 'pdf', 'text/csv': 'csv' } as const;
export type InvoiceFormat = (typeof INVOICE_FORMATS)[keyof typeof INVOICE_FORMATS];

/**
 * The form an `Accept` header asks for (RFC 9110 §12.5.1): the media range with the highest q that
 * one of the forms matches (an exact type before `text/*` before `*\/*`), the earliest on a tie; no
 * header means JSON. Undefined when nothing acceptable is on offer (the caller answers 406).
 */
export function chooseInvoiceFormat(accept: string | undefined): InvoiceFormat | undefined {
  if (!accept?.trim()) return 'json';
  let best: { format: InvoiceFormat; q: number; specificity: number } | undefined;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const [type, subtype] = range.split('/');
    for (const [media, format] of Object.entries(INVOICE_FORMATS)) {
      const [mt, ms] = media.split('/');
      const specificity = type === mt && subtype === ms ? 2 : type === mt && subtype === '*' ? 1 : type === '*' && subtype === '*' ? 0 : -1;
      if (specificity < 0) continue;
      if (!best || q > best.q || (q === best.q && specificity > best.specificity)) best = { format, q, specificity };
      // Only the first form a wildcard matches (JSON, the default) counts for it.
      if (specificity < 2) break;
    }
  }
  return best?.format;
}
