import { z } from 'zod';
import ct from 'countries-and-timezones';
import { fail, ok, problem, type Problem, type Result } from './problems.js';

const MAX_LINE = 50;

export const addressSchema = z.object({
  addressLine1: z.string(),
  addressLine2: z.string().optional(),
  city: z.string(),
  stateOrProvince: z.string().optional(),
  zipOrPostalCode: z.string().optional(),
  country: z.string(),
});
export type Address = z.infer<typeof addressSchema>;

/** Countries whose addresses need a state and a postal code. */
const NEEDS_STATE_AND_POSTCODE = new Set(['US', 'CA']);

export const isCountryCode = (code: string): boolean => /^[A-Z]{2}$/.test(code) && ct.getCountry(code) !== null;

/** Trims, upper-cases the country and checks the Wholesale address rules; reports every problem at once. */
export function checkAddress(input: Address, field = 'address'): Result<Address> {
  const trim = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const address: Address = {
    addressLine1: input.addressLine1.trim(),
    addressLine2: trim(input.addressLine2),
    city: input.city.trim(),
    stateOrProvince: trim(input.stateOrProvince),
    zipOrPostalCode: trim(input.zipOrPostalCode),
    country: input.country.trim().toUpperCase(),
  };
  const problems: Problem[] = [];
  if (!address.addressLine1) problems.push(problem('invalid_address', 'addressLine1 is required', `${field}.addressLine1`));
  if (!address.city) problems.push(problem('invalid_address', 'city is required', `${field}.city`));
  for (const key of ['addressLine1', 'addressLine2'] as const) {
    const value = address[key];
    if (value && value.length > MAX_LINE) {
      problems.push(problem('invalid_address', `${key} is ${value.length} characters; at most ${MAX_LINE} are allowed`, `${field}.${key}`));
    }
  }
  if (!isCountryCode(address.country)) {
    problems.push(
      problem(
        'invalid_country',
        `country "${input.country}" is not an ISO 3166-1 alpha-2 code (for example US, GB, DE)`,
        `${field}.country`,
      ),
    );
  } else if (NEEDS_STATE_AND_POSTCODE.has(address.country)) {
    if (!address.stateOrProvince)
      problems.push(problem('invalid_address', `stateOrProvince is required for ${address.country} addresses`, `${field}.stateOrProvince`));
    if (!address.zipOrPostalCode)
      problems.push(problem('invalid_address', `zipOrPostalCode is required for ${address.country} addresses`, `${field}.zipOrPostalCode`));
  }
  return problems.length ? fail(...problems) : ok(address);
}
