import { describe, expect, it } from 'vitest';
import { planSync, splitSubscriberPackages } from '../../src/domain/upstream-drift.js';

const deskCustomer = (id: string, externalId: string, o: Partial<{ webexId: string | null; status: string; packages: string[] }> = {}) => ({
  id,
  externalId,
  webexId: o.webexId ?? null,
  status: o.status ?? 'provisioned',
  packages: o.packages ?? ['webex_calling'],
});
const webexCustomer = (id: string, externalId: string, o: Partial<{ status: string; packages: string[] }> = {}) => ({
  id,
  externalId,
  status: o.status ?? 'provisioned',
  packages: o.packages ?? ['webex_calling'],
});

describe('planSync', () => {
  it('leaves out what either side is still moving, and what Webex refused outright: no drift for either', () => {
    const plan = planSync({
      importing: false,
      deskCustomers: [
        deskCustomer('d1', 'crm-1', { status: 'provisioning' }),
        deskCustomer('d2', 'crm-2', { status: 'updating' }),
        // Refused by Webex, never held there: its error is shown already.
        deskCustomer('d4', 'crm-4', { status: 'error' }),
      ],
      webexCustomers: [
        webexCustomer('w1', 'crm-1', { packages: ['webex_suite'] }),
        webexCustomer('w3', 'crm-3', { status: 'provisioning' }),
      ],
      deskSubscribers: [],
      webexSubscribers: [],
    });
    expect(plan.findings).toEqual([]);
    expect(plan.skippedInTransition).toBe(3);
  });

  it("matches by Webex's id before externalId, and compares package sets whatever their order or alias", () => {
    const plan = planSync({
      importing: false,
      deskCustomers: [deskCustomer('d1', 'renamed-here', { webexId: 'w1', packages: ['webex_meetings', 'customer_assist'] })],
      webexCustomers: [webexCustomer('w1', 'crm-1', { packages: ['cx_essentials', 'webex_meetings'] })],
      deskSubscribers: [],
      webexSubscribers: [],
    });
    expect(plan.findings).toEqual([]);
    expect(plan.linkCustomers).toEqual([]);
  });

  it('imports only on the first run; later the same customer is drift, and a link is made where the externalId matches', () => {
    const input = {
      deskCustomers: [deskCustomer('d1', 'crm-1')],
      webexCustomers: [webexCustomer('w1', 'crm-1'), webexCustomer('w2', 'crm-2')],
      deskSubscribers: [],
      webexSubscribers: [{ id: 's2', customerId: 'w2', email: 'Ann@Example.com', status: 'provisioned', packages: ['webex_calling'] }],
    };
    const first = planSync({ ...input, importing: true });
    expect(first.importCustomers.map((c) => c.id)).toEqual(['w2']);
    expect(first.importSubscribers.map((s) => s.subscriber.id)).toEqual(['s2']);
    expect(first.linkCustomers).toEqual([{ deskId: 'd1', webexId: 'w1' }]);
    const later = planSync({ ...input, importing: false });
    expect(later.importCustomers).toEqual([]);
    // The customer only Webex has is one item; its subscribers are not listed one by one.
    expect(later.findings.map((f) => `${f.entityType} ${f.kind} ${f.subject}`)).toEqual(['customer only_webex crm-2']);
  });
});

describe('splitSubscriberPackages', () => {
  it('keeps one base package and the add-ons, whatever order Webex lists them in', () => {
    expect(splitSubscriberPackages(['attendant_console', 'webex_calling'])).toEqual({
      base: 'webex_calling',
      addOns: ['attendant_console'],
    });
    expect(splitSubscriberPackages(['attendant_console'])).toBeUndefined();
  });
});
