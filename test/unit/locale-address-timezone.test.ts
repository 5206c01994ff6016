import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/domain/address.js';
import { resolveLocale } from '../../src/domain/locale.js';
import { pickCallInNumber, regionOf } from '../../src/domain/regions.js';
import { isTimezone, resolveTimezone } from '../../src/domain/timezone.js';

describe('resolveLocale', () => {
  const us = { country: 'US', language: 'en_US' };
  const ca = { country: 'CA', language: 'en_CA' };
  it.each([
    ['en_US', us, 'en_US', 'en_US'],
    ['en_us', us, 'en_US', 'en_US'],
    ['EN-GB', us, 'en_GB', 'en_GB'],
    ['fr', ca, 'fr_CA', 'fr_CA'],
    ['fr', us, 'fr_FR', 'fr_FR'],
    ['en', ca, 'en_CA', 'en_CA'],
    ['zh', us, 'zh_CN', 'zh_CN'],
    ['pt', { country: 'BR', language: 'pt_BR' }, 'pt_BR', 'pt_BR'],
    ['pt', us, 'pt_PT', 'en_US'],
    ['es_CO', us, 'es_CO', 'en_US'],
    ['id', us, 'id_ID', 'en_US'],
    ['nb_no', us, 'nb_NO', 'en_US'],
    [undefined, ca, 'en_CA', 'en_CA'],
    ['', { country: 'DE', language: 'de_DE' }, 'de_DE', 'de_DE'],
  ])('%j with template %j → %s (Meetings %s)', (input, template, locale, meetings) => {
    expect(resolveLocale(input, template)).toEqual({ ok: true, value: { locale, meetingsLocale: meetings } });
  });
  it.each(['xx', 'en_XX', 'english', 'e', 'he_IL'])('refuses %j and lists the supported values', (input) => {
    const r = resolveLocale(input, us);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.code).toBe('unsupported_locale');
      expect(r.problems[0]!.message).toContain('en_US, en_AU');
    }
  });
});

describe('checkAddress', () => {
  const base = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'us' };
  it('normalises and accepts a US address', () => {
    expect(checkAddress(base)).toEqual({ ok: true, value: { ...base, country: 'US', addressLine2: undefined } });
  });
  it('accepts a UK address without state or postal code rules', () => {
    expect(checkAddress({ addressLine1: '10 Downing St', city: 'London', country: 'GB' }).ok).toBe(true);
  });
  it.each([
    [{ ...base, addressLine1: '  ' }, ['address.addressLine1']],
    [{ ...base, addressLine1: 'x'.repeat(51) }, ['address.addressLine1']],
    [{ ...base, addressLine2: 'y'.repeat(51) }, ['address.addressLine2']],
    [{ ...base, city: '' }, ['address.city']],
    [{ ...base, country: 'USA' }, ['address.country']],
    [{ ...base, country: 'XX' }, ['address.country']],
    [{ ...base, stateOrProvince: undefined, zipOrPostalCode: '' }, ['address.stateOrProvince', 'address.zipOrPostalCode']],
    [{ addressLine1: 'a', city: 'Toronto', country: 'CA' }, ['address.stateOrProvince', 'address.zipOrPostalCode']],
  ])('refuses %j at %j', (input, fields) => {
    const r = checkAddress(input);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(fields);
  });
  it('accepts exactly 50 characters', () => expect(checkAddress({ ...base, addressLine1: 'x'.repeat(50) }).ok).toBe(true));
});

describe('regions and call-in numbers', () => {
  it.each([
    ['US', 'AMER'],
    ['BR', 'AMER'],
    ['CA', 'AMER'],
    ['AU', 'ANZ'],
    ['NZ', 'ANZ'],
    ['JP', 'APAC'],
    ['SG', 'APAC'],
    ['IN', 'APAC'],
    ['DE', 'EURO'],
    ['FR', 'EURO'],
    ['NO', 'EURO'],
    ['CH', 'EURO'],
    ['GB', 'EMEA'],
    ['IL', 'EMEA'],
    ['ZA', 'EMEA'],
    ['AE', 'EMEA'],
    ['TR', 'EMEA'],
  ])('%s is in %s', (country, region) => expect(regionOf(country)).toBe(region));

  const table = { US: ['+1 111', '+1 222'], SG: ['+65 1'], AU: ['+61 1'], GB: ['+44 1'], DE: ['+49 1'], FR: ['+33 1'] };
  it.each([
    ['US', '+1 111', 'country'],
    ['FR', '+33 1', 'country'],
    ['IT', '+49 1', 'region_default'],
    ['MX', '+1 111', 'region_default'],
    ['NZ', '+61 1', 'region_default'],
    ['JP', '+65 1', 'region_default'],
    ['KE', '+44 1', 'region_default'],
  ])('%s → %s (%s)', (country, number, source) => expect(pickCallInNumber(country, table)).toMatchObject({ number, source }));
  it('gives null when neither the country nor its region default is configured', () =>
    expect(pickCallInNumber('JP', {}).number).toBeNull());
});

describe('time zones', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'US/Pacific', 'UTC', 'Asia/Kolkata'])('%s is valid', (z) =>
    expect(isTimezone(z)).toBe(true),
  );
  it.each(['Mars/Olympus', 'europe/berlin', 'GMT+25', ''])('%j is not', (z) => expect(isTimezone(z)).toBe(false));
  it.each([
    [undefined, 'FR', { ok: true, value: 'Europe/Paris' }],
    [undefined, 'IL', { ok: true, value: 'Asia/Jerusalem' }],
    ['America/Chicago', 'US', { ok: true, value: 'America/Chicago' }],
  ])('%j in %s → %j', (given, country, expected) => expect(resolveTimezone(given, country)).toEqual(expected));
  it('needs a zone for a country with several', () => {
    const r = resolveTimezone(undefined, 'US');
    expect(r.ok ? '' : r.problems[0]!.code).toBe('timezone_required');
  });
  it('refuses an invalid zone', () => {
    const r = resolveTimezone('Nowhere/City', 'DE');
    expect(r.ok ? '' : r.problems[0]!.code).toBe('invalid_timezone');
  });
});
