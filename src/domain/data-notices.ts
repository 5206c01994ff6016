import { PACKAGES, toPackageId } from './packages.js';

/**
 * Data an older release stored that today's rules would refuse. Nothing is changed for it (billing
 * goes on exactly as before); each kind is named, counted and given its fix, at start in the log and
 * on GET /v1/data-notices and the console's Data notices page, until the data is fixed.
 */
export const DATA_NOTICE_KINDS = ['subscriber_without_base_package', 'shared_extension', 'webhook_target_refused'] as const;
export type DataNoticeKind = (typeof DATA_NOTICE_KINDS)[number];

export interface DataNoticeItem {
  /** The subscriber's or the webhook subscription's id. */
  id: string;
  /** How people recognise it: an email and customer, a URL. */
  label: string;
  /** What about it breaks the rule (the package held, the extension shared, why the URL is refused). */
  detail: string;
}

export interface DataNotice {
  kind: DataNoticeKind;
  count: number;
  /** Since when today's rule applies, and what it says. */
  message: string;
  /** The request that fixes one item. */
  fix: string;
  items: DataNoticeItem[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const labelOf = (id: string) => {
  const known = toPackageId(id);
  return known ? PACKAGES[known].label : id;
};
const names = (ids: readonly string[]) => [...new Set(ids)].map(labelOf).join(' or ');

/** The notice for the items found of one kind, or undefined when there are none. */
export function describeDataNotice(kind: DataNoticeKind, items: readonly DataNoticeItem[]): DataNotice | undefined {
  if (items.length === 0) return undefined;
  const n = items.length;
  switch (kind) {
    case 'subscriber_without_base_package': {
      // detail: the add-on held alone; its first possible base is the suggested one.
      const held = items.map((i) => i.detail);
      const first = toPackageId(held[0] ?? '');
      const base = (first && PACKAGES[first].addOnFor?.[0]) || 'webex_calling';
      return {
        kind,
        count: n,
        message: `${plural(n, 'subscriber holds', 'subscribers hold')} only ${names(held)}, an add-on since 2026-11-30 that needs a base package; billed as before, but the subscriber's packages cannot be changed without one`,
        fix: `give ${n === 1 ? 'it' : 'each'} a base package: PUT /v1/wholesale/subscribers/{subscriberId} {"packages":["${base}","${held[0]}"]}`,
        items: [...items],
      };
    }
    case 'shared_extension':
      return {
        kind,
        count: n,
        message: `${plural(n, 'subscriber shares', 'subscribers share')} an extension with another subscriber of the same customer; extensions are unique per customer since 2026-11-30`,
        fix: 'give all but one of them another extension: PUT /v1/wholesale/subscribers/{subscriberId} {"packages":[<its packages>],"provisioningParameters":{"extension":"<free extension>"}}',
        items: [...items],
      };
    case 'webhook_target_refused':
      return {
        kind,
        count: n,
        message: `${plural(n, 'webhook subscription is', 'webhook subscriptions are')} disabled: today's rules refuse ${n === 1 ? 'its' : 'their'} URL (private, loopback or internal targets are refused since 2026-11-30), so nothing is queued for ${n === 1 ? 'it' : 'them'}`,
        fix: 'subscribe a public URL (POST /v1/webhooks) and delete the old one (DELETE /v1/webhooks/{id}), or name the host in WEBHOOK_ALLOWED_HOSTS and restart',
        items: [...items],
      };
  }
}

/** One line for the start-up log: the message, the fix and the first few items. */
export function dataNoticeLine(notice: DataNotice): string {
  const shown = notice.items.slice(0, 5).map((i) => `${i.label} (${i.detail})`);
  const more = notice.count > shown.length ? ` and ${notice.count - shown.length} more` : '';
  return `${notice.message}: ${shown.join(', ')}${more}. Fix: ${notice.fix}`;
}
