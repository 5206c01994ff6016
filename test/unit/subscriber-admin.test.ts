import { describe, expect, it } from 'vitest';
import { checkCustomerRulesOnRaw, mergeShapeAndRuleProblems } from '../../src/domain/customer-rules-on-raw.js';
import { shouldBecomeAdmin } from '../../src/domain/lifecycle.js';
import type { PackageId } from '../../src/domain/packages.js';
import { problem } from '../../src/domain/problems.js';
import {
  checkAdminPackage,
  checkNumbersFree,
  checkSubscriberNames,
  isDowngrade,
  orgPackageLevel,
  type NumberHolder,
} from '../../src/domain/subscriber-admin.js';
import { PROBLEM_HTTP, statusFor } from '../../src/contracts/error-body.js';

describe('isDowngrade: moving to a package that lacks a service the current one includes', () => {
  it.each<[PackageId, PackageId, boolean]>([
    ['webex_suite', 'webex_calling', true],
    ['webex_suite', 'webex_meetings', true],
    ['webex_calling', 'webex_calling_standard', true],
    ['webex_calling', 'webex_voice', true],
    ['webex_calling', 'webex_meetings', true],
    ['webex_meetings', 'webex_calling', true],
    ['cx_essentials', 'webex_suite', true],
    ['webex_calling', 'webex_suite', false],
    ['webex_calling', 'cx_essentials', false],
    ['webex_meetings', 'webex_suite', false],
    ['webex_calling_standard', 'webex_voice', false],
    ['webex_voice', 'webex_calling', false],
    ['webex_calling', 'webex_calling', false],
  ])('%s → %s: %s', (from, to, expected) => expect(isDowngrade(from, to)).toBe(expected));
});

describe("orgPackageLevel: the customer's packages no other of its packages includes", () => {
  it.each<[string[], string[]]>([
    [
      ['webex_calling', 'webex_meetings'],
      ['webex_calling', 'webex_meetings'],
    ],
    [['webex_suite', 'webex_calling', 'webex_meetings'], ['webex_suite']],
    [['webex_calling_standard', 'webex_calling'], ['webex_calling']],
    [
      ['webex_suite', 'cx_essentials'],
      ['webex_suite', 'cx_essentials'],
    ],
    [['webex_calling', 'attendant_console'], ['webex_calling']],
    [['common_area_calling'], []],
    [['customer_assist', 'webex_voice'], ['cx_essentials']],
  ])('%j → %j', (packages, level) => expect(orgPackageLevel(packages)).toEqual(level));
});

describe('checkAdminPackage', () => {
  it.each<[string, { isAdmin: boolean; current: PackageId | null; next: PackageId; customerPackages: string[] }, string[]]>([
    [
      'the first subscriber at the org level',
      { isAdmin: true, current: null, next: 'webex_suite', customerPackages: ['webex_suite', 'webex_calling'] },
      [],
    ],
    [
      'the first subscriber below the org level',
      { isAdmin: true, current: null, next: 'webex_calling', customerPackages: ['webex_suite', 'webex_calling'] },
      ['admin_package_level'],
    ],
    [
      'the first subscriber on one of two incomparable top packages',
      { isAdmin: true, current: null, next: 'webex_meetings', customerPackages: ['webex_calling', 'webex_meetings'] },
      [],
    ],
    [
      'a later subscriber below the org level',
      { isAdmin: false, current: null, next: 'webex_calling', customerPackages: ['webex_suite', 'webex_calling'] },
      [],
    ],
    [
      'the admin downgraded',
      { isAdmin: true, current: 'webex_suite', next: 'webex_calling', customerPackages: ['webex_suite', 'webex_calling'] },
      ['admin_package_downgrade'],
    ],
    [
      'the admin moved sideways (loses full meetings)',
      { isAdmin: true, current: 'webex_meetings', next: 'webex_calling', customerPackages: ['webex_calling', 'webex_meetings'] },
      ['admin_package_downgrade'],
    ],
    [
      'the admin upgraded',
      { isAdmin: true, current: 'webex_calling', next: 'webex_suite', customerPackages: ['webex_suite', 'webex_calling'] },
      [],
    ],
    [
      'a non-admin downgraded',
      { isAdmin: false, current: 'webex_suite', next: 'webex_calling', customerPackages: ['webex_suite', 'webex_calling'] },
      [],
    ],
  ])('%s', (_name, check, codes) => expect(checkAdminPackage(check).map((p) => p.code)).toEqual(codes));

  it('answers 409 with its own errorCodes', () => {
    expect(PROBLEM_HTTP.admin_package_level).toEqual({ status: 409, errorCode: 1801 });
    expect(PROBLEM_HTTP.admin_package_downgrade).toEqual({ status: 409, errorCode: 1802 });
  });
});

describe('shouldBecomeAdmin: counted over every subscriber the customer ever had', () => {
  it.each<[boolean, number, boolean]>([
    [false, 0, true],
    [false, 1, false],
    [true, 0, false],
  ])('attached %s, %i ever → %s', (attached, ever, admin) => expect(shouldBecomeAdmin(attached, ever)).toBe(admin));
});

describe('checkSubscriberNames', () => {
  it.each<[{ firstName?: string; lastName?: string }, string[]]>([
    [{ firstName: 'Ann', lastName: 'Lee' }, []],
    [{ firstName: 'Ann' }, ['provisioningParameters.lastName']],
    [{ lastName: 'Lee' }, ['provisioningParameters.firstName']],
    [{ firstName: '  ', lastName: '' }, ['provisioningParameters.firstName', 'provisioningParameters.lastName']],
    [{}, ['provisioningParameters.firstName', 'provisioningParameters.lastName']],
  ])('%j → %j', (params, fields) => expect(checkSubscriberNames(params).map((p) => p.field)).toEqual(fields));
});

describe('checkNumbersFree: one live subscriber per extension and phone number within a customer', () => {
  const holders: NumberHolder[] = [
    { subscriberId: 'S1', email: 'ann@x.example', extension: '1001', primaryPhoneNumber: '+14085550101' },
    { subscriberId: 'S2', email: 'bob@x.example', extension: '1002', primaryPhoneNumber: null },
  ];
  it.each<[string, { extension?: string; primaryPhoneNumber?: string }, string | null, string[]]>([
    ['a free extension', { extension: '1003' }, null, []],
    ['a taken extension', { extension: '1001' }, null, ['extension_in_use']],
    ['a taken extension, spaces around it', { extension: ' 1002 ' }, null, ['extension_in_use']],
    ['a taken phone number', { primaryPhoneNumber: '+14085550101' }, null, ['phone_number_in_use']],
    ['both taken', { extension: '1002', primaryPhoneNumber: '+14085550101' }, null, ['extension_in_use', 'phone_number_in_use']],
    ['its own extension kept on an update', { extension: '1001' }, 'S1', []],
    ['nothing asked', {}, null, []],
  ])('%s', (_name, wanted, self, codes) => expect(checkNumbersFree(wanted, holders, self).map((p) => p.code)).toEqual(codes));

  it('names the holder', () => {
    expect(checkNumbersFree({ extension: '1001' }, holders, null)[0]?.message).toContain('ann@x.example');
  });
});

describe('checkCustomerRulesOnRaw + mergeShapeAndRuleProblems: every problem at once', () => {
  const shape = [
    problem('invalid_request', 'is required', 'address.city'),
    problem('invalid_request', 'must be an email address', 'customerInfo.primaryEmail'),
  ];
  it('reports a long line, a bad country, no city and a bad email together, each once', () => {
    const raw = { address: { addressLine1: 'x'.repeat(60), country: 'XX' }, packages: ['webex_meetings'] };
    const merged = mergeShapeAndRuleProblems(shape, checkCustomerRulesOnRaw(raw));
    expect(merged.map((p) => [p.field, p.code])).toEqual([
      ['address.city', 'invalid_request'],
      ['customerInfo.primaryEmail', 'invalid_request'],
      ['address.addressLine1', 'invalid_address'],
      ['address.country', 'invalid_country'],
    ]);
  });
  it.each<[string, unknown, string[]]>([
    ['not an object', 'nope', []],
    ['an address of the wrong type', { address: 5 }, []],
    [
      'a bad location address',
      { provisioningParameters: { calling: { location: { address: { country: 'ZZ' } } } } },
      ['invalid_address', 'invalid_address', 'invalid_country'],
    ],
    ['an add-on without its base', { packages: ['webex_meetings', 'attendant_console'] }, ['package_requirement_missing']],
  ])('%s', (_name, raw, codes) => expect(checkCustomerRulesOnRaw(raw).map((p) => p.code)).toEqual(codes));
});

describe('statusFor: invalid outranks conflicting', () => {
  it.each<[string[], number]>([
    [['invalid_country', 'email_in_use'], 400],
    [['email_in_use'], 409],
    [['customer_not_found', 'invalid_request'], 404],
    [['extension_in_use', 'invalid_request'], 400],
  ])('%j → %i', (codes, status) => expect(statusFor(codes.map((c) => problem(c as 'invalid_request', c)))).toBe(status));
});
