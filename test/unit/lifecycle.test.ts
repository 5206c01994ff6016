import { describe, expect, it } from 'vitest';
import {
  canCustomerMove,
  canRepairMove,
  checkAcceptsSubscribers,
  checkBillingStartDate,
  checkCustomerSettled,
  resolveEffectiveAt,
  shouldBecomeAdmin,
} from '../../src/domain/lifecycle.js';
import { toWebexId } from '../../src/domain/webex-ids.js';
import { checkCallingDetails, pickPackageInput } from '../../src/domain/subscriber-rules.js';

describe('customer state machine', () => {
  it.each([
    ['provisioning', 'provisioned', true],
    ['provisioning', 'pending_rpl_review', true],
    ['pending_rpl_review', 'provisioning', true],
    ['provisioned', 'updating', true],
    ['updating', 'provisioned', true],
    ['deleting', 'deleted', true],
    ['deleted', 'provisioning', false],
    ['error', 'provisioned', false],
    ['provisioned', 'provisioning', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => expect(canCustomerMove(from, to)).toBe(allowed));

  it.each([
    ['provisioned', 'provisioning', true],
    ['error', 'provisioned', true],
    ['provisioned', 'deleting', true],
    ['deleted', 'provisioning', false],
    ['provisioned', 'deleted', false],
  ] as const)('drift repair %s → %s: %s', (from, to, allowed) => expect(canRepairMove(from, to)).toBe(allowed));

  it.each([
    ['provisioning', 0],
    ['provisioned', 0],
    ['updating', 0],
    ['pending_rpl_review', 1],
    ['error', 1],
    ['deleting', 1],
  ] as const)('a %s customer accepts subscribers: %s problems', (status, n) =>
    expect(checkAcceptsSubscribers(status, 'Acme')).toHaveLength(n),
  );

  it.each([
    ['provisioned', 'update', null],
    ['provisioning', 'update', 'customer_busy'],
    ['updating', 'update', 'customer_busy'],
    ['error', 'update', 'customer_busy'],
    ['error', 'delete', null],
    ['provisioning', 'delete', null],
    ['deleting', 'delete', 'customer_not_found'],
  ] as const)('%s customer, %s → %s', (status, action, code) => expect(checkCustomerSettled(status, action)[0]?.code ?? null).toBe(code));
});

describe('first subscriber is admin', () => {
  it.each([
    [false, 0, true],
    [false, 1, false],
    [true, 0, false],
  ])('attached %s, %i live → %s', (attached, live, admin) => expect(shouldBecomeAdmin(attached, live)).toBe(admin));
});

describe('checkBillingStartDate', () => {
  const base = { delayedBillingEnabled: true, createdOn: '2026-03-01', today: '2026-03-01' };
  it.each([
    [
      { ...base, requested: null },
      { ok: true, value: null },
    ],
    [
      { ...base, requested: '2026-05-30' },
      { ok: true, value: '2026-05-30' },
    ],
    [
      { ...base, requested: '2026-03-01' },
      { ok: true, value: '2026-03-01' },
    ],
    [
      { ...base, requested: '2026-05-20', current: '2026-05-01', today: '2026-04-01' },
      { ok: true, value: '2026-05-20' },
    ],
    [
      { ...base, requested: '2026-05-01', current: null, hasUsage: false, today: '2026-03-10' },
      { ok: true, value: '2026-05-01' },
    ],
  ])('accepts %j', (ctx, expected) => expect(checkBillingStartDate(ctx)).toEqual(expected));
  it.each([
    [{ ...base, requested: '2026-05-31' }, 'invalid_billing_start_date'],
    [{ ...base, requested: '2026-02-28' }, 'invalid_billing_start_date'],
    [{ ...base, requested: '2026-02-30' }, 'invalid_billing_start_date'],
    [{ ...base, requested: '2026-04-01', delayedBillingEnabled: false }, 'delayed_billing_disabled'],
    [{ ...base, requested: '2026-04-20', current: '2026-04-01', today: '2026-04-02' }, 'billing_already_started'],
    [{ ...base, requested: '2026-04-20', current: null, hasUsage: true, today: '2026-03-05' }, 'billing_already_started'],
  ])('refuses %j with %s', (ctx, code) => {
    const r = checkBillingStartDate(ctx);
    expect(r.ok ? null : r.problems[0]!.code).toBe(code);
  });
});

describe('resolveEffectiveAt', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  it.each([
    [undefined, '2026-06-15T12:00:00.000Z'],
    ['2026-06-01T00:00:00Z', '2026-06-01T00:00:00.000Z'],
    ['2026-06-15T14:00:00+02:00', '2026-06-15T12:00:00.000Z'],
    ['2026-04-15T00:00:00Z', '2026-04-15T00:00:00.000Z'],
  ])('%j → %s', (input, iso) => {
    const r = resolveEffectiveAt(input, now);
    expect(r.ok && r.value.toISOString()).toBe(iso);
  });
  it.each(['2026-06-15T12:00:01Z', '2026-06-01', 'yesterday', '2026-13-01T00:00:00Z'])('refuses %j', (input) => {
    const r = resolveEffectiveAt(input, now);
    expect(r.ok ? null : r.problems[0]!.code).toBe('invalid_effective_at');
  });
  it.each([
    // BACKDATE_MAX_DAYS: 62 by default; the SP may allow up to 400.
    ['2026-04-15T00:00:00Z', 62, true],
    ['2026-04-14T00:00:00Z', 62, false],
    ['2025-05-12T00:00:00Z', 400, true],
    ['2025-05-10T00:00:00Z', 400, false],
  ] as const)('back-dating %j with a %d-day limit: allowed %s', (input, maxDays, allowed) => {
    const r = resolveEffectiveAt(input, now, 'effectiveAt', maxDays);
    expect(r.ok ? 'ok' : r.problems[0]!.code).toBe(allowed ? 'ok' : 'backdate_too_far');
  });
});

describe('subscriber rules', () => {
  it.each([
    ['webex_calling', {}, ['calling_parameters_missing']],
    ['webex_calling', { extension: '1001' }, []],
    ['webex_calling', { primaryPhoneNumber: '+14085551234' }, []],
    ['webex_calling', { primaryPhoneNumber: '4085551234' }, ['invalid_request']],
    ['webex_calling', { extension: '1' }, ['invalid_request']],
    ['webex_meetings', {}, []],
  ] as const)('%s with %j → %j', (pkg, details, codes) => expect(checkCallingDetails(pkg, details).map((p) => p.code)).toEqual(codes));
  it('takes packages or the deprecated package, not both', () => {
    expect(pickPackageInput({ packages: ['a'] })).toEqual({ ok: true, value: ['a'] });
    expect(pickPackageInput({ package: 'b' })).toEqual({ ok: true, value: ['b'] });
    expect(pickPackageInput({ package: 'b', packages: ['a'] }).ok).toBe(false);
    expect(pickPackageInput({}).ok).toBe(false);
  });
});

describe('toWebexId', () => {
  it('matches the base64 Webex ids (no padding)', () => {
    const id = toWebexId('PEOPLE', 'f5b36187-c8dd-4727-8b2f-f9c447f29046');
    expect(id).toBe(Buffer.from('ciscospark://us/PEOPLE/f5b36187-c8dd-4727-8b2f-f9c447f29046').toString('base64').replace(/=+$/, ''));
    expect(toWebexId('ORGANIZATION', 'x')).toBe(Buffer.from('ciscospark://us/ORGANIZATION/x').toString('base64').replace(/=+$/, ''));
  });
});
