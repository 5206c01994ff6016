import ct from 'countries-and-timezones';
import { fail, ok, problem, type Result } from './problems.js';

/** A valid IANA zone name (aliases such as US/Pacific included), exactly as the tz database spells it. */
export function isTimezone(name: string): boolean {
  return ct.getTimezone(name) !== null || name === 'UTC';
}

/** The given zone if valid; none given → the country's only zone; a country with several zones needs one. */
export function resolveTimezone(requested: string | undefined, country: string, field = 'timezone'): Result<string> {
  if (requested !== undefined && requested.trim() !== '') {
    const zone = requested.trim();
    if (!isTimezone(zone))
      return fail(problem('invalid_timezone', `"${zone}" is not an IANA time zone (for example Europe/Berlin, America/New_York)`, field));
    return ok(zone);
  }
  const zones = ct.getCountry(country)?.timezones ?? [];
  if (zones.length === 1) return ok(zones[0] as string);
  return fail(
    problem(
      'timezone_required',
      `${country} has ${zones.length} time zones; give one of ${zones.slice(0, 8).join(', ')}${zones.length > 8 ? ', …' : ''}`,
      field,
    ),
  );
}
