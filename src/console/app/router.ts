// The console's pages beside the chat, chosen by the location's hash (`#/customers/<id>`). Each page
// module exports `default function Page({ params, navigate })`; the api module and the session come
// from context (context.ts).
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import AccessPage from './pages/access.js';
import AuditPage from './pages/audit.js';
import BillingPage from './pages/billing.js';
import CompliancePage from './pages/compliance.js';
import CustomerPage from './pages/customer.js';
import CustomersPage from './pages/customers.js';
import NoticesPage from './pages/notices.js';
import UpstreamPage from './pages/upstream.js';
import type { PageProps } from './page-props.js';

export interface PageEntry {
  /** The first segment after `#/`. */
  path: string;
  /** How many segments follow it, named by `params`. */
  segments?: number;
  params?: string[];
  title: string;
  component: FunctionComponent<PageProps>;
  inNav?: boolean;
}

/** Every page, in the navigation's order. Pages register here, one line each. */
export const PAGES: PageEntry[] = [
  { path: 'customers', title: 'Customers', component: CustomersPage },
  { path: 'customers', segments: 1, params: ['id'], title: 'Customer', component: CustomerPage, inNav: false },
  { path: 'billing', title: 'Billing', component: BillingPage },
  { path: 'upstream', title: 'Upstream', component: UpstreamPage },
  { path: 'compliance', title: 'Compliance', component: CompliancePage },
  { path: 'audit', title: 'Audit log', component: AuditPage },
  { path: 'notices', title: 'Data notices', component: NoticesPage },
  { path: 'access', title: 'Staff & tokens', component: AccessPage },
];

export interface Route {
  page: PageEntry;
  params: Record<string, string>;
}

/** The page a hash names, or undefined for the dashboard (and for anything unknown). */
export function routeOf(hash: string): Route | undefined {
  const [first = '', ...rest] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = PAGES.find((p) => p.path === first && (p.segments ?? 0) === rest.length);
  return page ? { page, params: Object.fromEntries((page.params ?? []).map((name, i) => [name, rest[i] ?? ''])) } : undefined;
}

export const navigate = (hash: string) => {
  location.hash = hash;
};

/** The current hash; `onLeave` runs before a new one shows (the api module aborts the old page's requests). */
export function useHash(onLeave: () => void): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => {
      onLeave();
      setHash(location.hash);
    };
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, [onLeave]);
  return hash;
}
