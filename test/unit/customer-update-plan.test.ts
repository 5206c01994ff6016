import { describe, expect, it } from 'vitest';
import {
  planCustomerUpdate,
  type CurrentCustomer,
  type CustomerUpdateRequest,
  type UpdateContext,
} from '../../src/domain/customer-update-plan.js';

const BERLIN = { addressLine1: '1 Unter den Linden', city: 'Berlin', zipOrPostalCode: '10117', country: 'DE' };
const PARIS = { addressLine1: '8 Rue de Rivoli', city: 'Paris', zipOrPostalCode: '75004', country: 'fr' };

const current: CurrentCustomer = {
  status: 'provisioned',
  externalId: 'acme-1',
  packages: ['webex_meetings', 'webex_calling'],
  limits: { webex_meetings: 10 },
  address: BERLIN,
  orgCountry: 'DE',
  locale: 'de_DE',
  createdOn: '2026-01-10',
  billingStartDate: null,
};

const ctx: UpdateContext = {
  holders: { webex_calling: 2 },
  hasLocation: true,
  hasUsage: true,
  externalIdOwner: null,
  numbersByCountry: { DE: ['+49 30 0000'], FR: ['+33 1 0000'] },
  delayedBillingEnabled: false,
  now: new Date('2026-03-01T12:00:00Z'),
};

const same: CustomerUpdateRequest = { packages: ['webex_meetings', 'webex_calling'] };
const location = { name: 'HQ', address: BERLIN, timezone: 'Europe/Berlin' };

describe('planCustomerUpdate: what is refused', () => {
  it.each<[string, Partial<CustomerUpdateRequest>, Partial<UpdateContext>, Partial<CurrentCustomer>, string[]]>([
    ['an unchanged customer', {}, {}, {}, []],
    ['a customer still updating', {}, {}, { status: 'updating' }, ['customer_busy']],
    ['a customer in error', {}, {}, { status: 'error' }, ['customer_busy']],
    ['a customer being deleted', {}, {}, { status: 'deleting' }, ['customer_not_found']],
    ['an unknown package', { packages: ['webex_meetings', 'nope'] }, {}, {}, ['unknown_package']],
    ['an empty package list', { packages: [] }, {}, {}, ['invalid_request']],
    ['removing a package still held', { packages: ['webex_meetings'] }, {}, {}, ['package_in_use']],
    ['removing a package nobody holds', { packages: ['webex_meetings'] }, { holders: {} }, {}, []],
    ['an invalid new address', { address: { ...BERLIN, city: ' ' } }, {}, {}, ['invalid_address']],
    ['an externalId another customer has', { externalId: 'acme-2' }, { externalIdOwner: 'customer-2' }, {}, ['external_id_conflict']],
    ['its own externalId again', { externalId: 'acme-1' }, { externalIdOwner: 'customer-1' }, {}, []],
    [
      'a limit below the holders',
      { provisioningParameters: { packages: { limits: { webex_calling: 1 } } } },
      {},
      {},
      ['package_limit_reached'],
    ],
    ['a limit equal to the holders', { provisioningParameters: { packages: { limits: { webex_calling: 2 } } } }, {}, {}, []],
    ['a limit for an unknown package', { provisioningParameters: { packages: { limits: { nope: 5 } } } }, {}, {}, ['unknown_package']],
    [
      'a calling package added without a location',
      {},
      { hasLocation: false, holders: {} },
      { packages: ['webex_meetings'] },
      ['calling_parameters_missing'],
    ],
    [
      'a calling package added with a location',
      { provisioningParameters: { calling: { location } } },
      { hasLocation: false, holders: {} },
      { packages: ['webex_meetings'] },
      [],
    ],
    [
      'a location whose time zone is unknown',
      { provisioningParameters: { calling: { location: { ...location, timezone: 'Mars/Olympus' } } } },
      { hasLocation: false },
      {},
      ['invalid_timezone'],
    ],
    ['a billing start date without the partner setting', { billingStartDate: '2026-03-10' }, {}, {}, ['delayed_billing_disabled']],
    [
      'a billing start date after billing started',
      { billingStartDate: '2026-03-10' },
      { delayedBillingEnabled: true },
      {},
      ['billing_already_started'],
    ],
    [
      'a billing start date before billing started',
      { billingStartDate: '2026-03-10' },
      { delayedBillingEnabled: true, hasUsage: false },
      {},
      [],
    ],
    [
      'every problem at once, in rule order',
      {
        packages: ['webex_meetings', 'nope'],
        externalId: 'acme-2',
        provisioningParameters: { packages: { limits: { nope: 1 } } },
        billingStartDate: '2026-03-10',
      },
      { externalIdOwner: 'customer-2' },
      {},
      ['unknown_package', 'external_id_conflict', 'unknown_package', 'delayed_billing_disabled'],
    ],
  ])('%s', (_name, req, context, customer, codes) => {
    const plan = planCustomerUpdate({ ...current, ...customer }, { ...same, ...req }, { ...ctx, ...context });
    expect(plan.ok ? [] : plan.problems.map((p) => p.code)).toEqual(codes);
  });
});

describe('planCustomerUpdate: what is planned', () => {
  it.each<[string, Partial<CustomerUpdateRequest>, Partial<UpdateContext>, Partial<Record<string, unknown>>]>([
    [
      'keeps what is not asked',
      {},
      {},
      {
        externalId: 'acme-1',
        address: BERLIN,
        orgCountry: 'DE',
        callInNumber: '+49 30 0000',
        limits: { webex_meetings: 10 },
        billingStartDate: null,
        newLocation: null,
        addressChanged: false,
      },
    ],
    [
      'a new address moves the country and the call-in number',
      { address: PARIS },
      {},
      { orgCountry: 'FR', callInNumber: '+33 1 0000', addressChanged: true, address: { ...PARIS, country: 'FR' } },
    ],
    [
      'a new limit joins the others',
      { provisioningParameters: { packages: { limits: { webex_calling: 5 } } } },
      {},
      { limits: { webex_meetings: 10, webex_calling: 5 } },
    ],
    [
      'a first calling location is added',
      { provisioningParameters: { calling: { location } } },
      { hasLocation: false },
      { newLocation: expect.objectContaining({ name: 'HQ', timezone: 'Europe/Berlin' }) },
    ],
    [
      'a branch (a location of a new name) is added beside the HQ',
      { provisioningParameters: { calling: { location: { ...location, name: 'Branch Potsdam' } } } },
      { hasLocation: true, locationNames: ['HQ'] },
      { newLocation: expect.objectContaining({ name: 'Branch Potsdam', timezone: 'Europe/Berlin' }) },
    ],
    [
      'a location of a name the customer has is not added twice (a retried PUT)',
      { provisioningParameters: { calling: { location: { ...location, name: ' hq ' } } } },
      { hasLocation: true, locationNames: ['HQ'] },
      { newLocation: null },
    ],
    [
      'packages left out stay as they are',
      { packages: undefined, externalId: 'acme-8' },
      {},
      { packages: ['webex_meetings', 'webex_calling'], externalId: 'acme-8' },
    ],
    ['a new externalId', { externalId: 'acme-9' }, {}, { externalId: 'acme-9' }],
    [
      'a deferred billing start',
      { billingStartDate: '2026-03-10' },
      { delayedBillingEnabled: true, hasUsage: false },
      { billingStartDate: '2026-03-10' },
    ],
    [
      'packages named by alias resolve to ids',
      { packages: ['webex_calling', 'webex_meetings', 'webex_calling'] },
      {},
      { packages: ['webex_calling', 'webex_meetings'] },
    ],
  ])('%s', (_name, req, context, expected) => {
    const plan = planCustomerUpdate(current, { ...same, ...req }, { ...ctx, ...context });
    expect(plan.ok).toBe(true);
    if (plan.ok) expect(plan.value).toMatchObject(expected);
  });
});
