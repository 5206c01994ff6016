import { describe, expect, it } from 'vitest';
import {
  checkCustomerPackages,
  checkPackageRemoval,
  checkSubscriberPackages,
  checkWorkspacePackage,
  toPackageId,
} from '../../src/domain/packages.js';

describe('toPackageId', () => {
  it.each([
    ['webex_calling', 'webex_calling'],
    ['Webex_Calling', 'webex_calling'],
    ['webex-suite', 'webex_suite'],
    ['customer_assist', 'cx_essentials'],
    ['Customer Experience Essentials', 'cx_essentials'],
    ['cx_essentials', 'cx_essentials'],
    ['webex_ai_agent', 'webex_ai_agent'],
    ['webex_teams', undefined],
    ['', undefined],
  ])('%j → %j', (input, expected) => expect(toPackageId(input)).toBe(expected));
});

describe('checkCustomerPackages', () => {
  it.each([
    [['webex_calling', 'webex_meetings'], { ok: true, value: ['webex_calling', 'webex_meetings'] }],
    [['customer_assist', 'cx_essentials'], { ok: true, value: ['cx_essentials'] }],
    [['webex_suite', 'attendant_console'], { ok: true, value: ['webex_suite', 'attendant_console'] }],
    [['common_area_calling', 'cisco_calling_plan'], { ok: true, value: ['common_area_calling', 'cisco_calling_plan'] }],
  ])('accepts %j', (input, expected) => expect(checkCustomerPackages(input)).toEqual(expected));

  it.each([
    [[], ['invalid_request']],
    [['webex_meetings', 'attendant_console'], ['package_requirement_missing']],
    [['webex_voice', 'attendant_console'], ['package_requirement_missing']],
    [['webex_meetings', 'cisco_calling_plan'], ['package_requirement_missing']],
    [
      ['nope', 'attendant_console'],
      ['unknown_package', 'package_requirement_missing'],
    ],
  ])('refuses %j', (input, codes) => {
    const r = checkCustomerPackages(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.code)).toEqual(codes);
  });
});

describe('checkSubscriberPackages: one base package plus add-ons', () => {
  const ctx = {
    customerPackages: ['webex_calling', 'webex_meetings', 'webex_voice', 'common_area_calling', 'attendant_console', 'cisco_calling_plan'],
    limits: { webex_meetings: 2, attendant_console: 3 },
    holders: { webex_meetings: 2, webex_calling: 5, attendant_console: 3 },
  };
  const roomy = { ...ctx, holders: { webex_meetings: 2 } };
  it.each([
    [['webex_calling'], { base: 'webex_calling', addOns: [] }],
    [['webex_calling', 'Attendant_Console'], { base: 'webex_calling', addOns: ['attendant_console'] }],
    [
      ['attendant_console', 'webex_calling', 'cisco_calling_plan'],
      { base: 'webex_calling', addOns: ['attendant_console', 'cisco_calling_plan'] },
    ],
    [['webex_voice', 'cisco_calling_plan'], { base: 'webex_voice', addOns: ['cisco_calling_plan'] }],
  ])('accepts %j', (input, value) => expect(checkSubscriberPackages(input, roomy)).toEqual({ ok: true, value }));
  it.each([
    [[], ['one_package_required']],
    [
      ['webex_calling', 'webex_meetings'],
      ['one_package_required', 'package_limit_reached'],
    ],
    // An add-on alone is not a base package: Attendant Console no longer replaces the user's package.
    [['attendant_console'], ['one_package_required', 'package_limit_reached']],
    [['cisco_calling_plan'], ['one_package_required']],
    [['unknown'], ['unknown_package']],
    [['common_area_calling'], ['package_not_for_subscribers']],
    [['webex_suite'], ['package_not_on_customer']],
    [['webex_meetings'], ['package_limit_reached']],
    [
      ['webex_meetings', 'cisco_calling_plan'],
      ['addon_base_missing', 'package_limit_reached'],
    ],
    [
      ['webex_voice', 'attendant_console'],
      ['addon_base_missing', 'package_limit_reached'],
    ],
    [
      ['webex_calling', 'attendant_console', 'attendant_console'],
      ['invalid_request', 'package_limit_reached'],
    ],
  ])('refuses %j with %j (every problem at once)', (input, codes) => {
    const r = checkSubscriberPackages(input, ctx);
    expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(codes);
  });
});

describe('checkWorkspacePackage', () => {
  it.each([
    [{ customerPackages: ['common_area_calling'], limits: {}, holders: {} }, []],
    [{ customerPackages: ['webex_calling'], limits: {}, holders: {} }, ['package_not_on_customer']],
    [
      { customerPackages: ['common_area_calling'], limits: { common_area_calling: 1 }, holders: { common_area_calling: 1 } },
      ['package_limit_reached'],
    ],
  ])('%j → %j', (ctx, codes) => expect(checkWorkspacePackage(ctx).map((p) => p.code)).toEqual(codes));
});

describe('checkPackageRemoval', () => {
  it('refuses removing held packages, naming how many hold them', () => {
    const problems = checkPackageRemoval(['webex_calling', 'webex_meetings', 'webex_suite'], ['webex_calling'], {
      webex_meetings: 3,
      webex_suite: 0,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'package_in_use' });
    expect(problems[0]!.message).toContain('3 subscribers still hold it');
  });
  it('allows removing packages nobody holds', () => expect(checkPackageRemoval(['a', 'b'], ['a'], {})).toEqual([]));
});
