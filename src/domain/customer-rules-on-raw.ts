import { checkAddress, type Address } from './address.js';
import { resolveLocale, SUPPORTED_LOCALES } from './locale.js';
import { checkCustomerPackages } from './packages.js';
import { problem, type Problem } from './problems.js';
import { isTimezone } from './timezone.js';

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const asText = (v: unknown): string => (typeof v === 'string' ? v : '');
const asOptionalText = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function addressProblems(raw: unknown, field: string): Problem[] {
  const a = asObject(raw);
  if (!a) return [];
  const address: Address = {
    addressLine1: asText(a.addressLine1),
    addressLine2: asOptionalText(a.addressLine2),
    city: asText(a.city),
    stateOrProvince: asOptionalText(a.stateOrProvince),
    zipOrPostalCode: asOptionalText(a.zipOrPostalCode),
    country: asText(a.country),
  };
  const r = checkAddress(address, field);
  return r.ok ? [] : r.problems;
}

/**
 * A language that no template could make valid. A bare language is completed with the template's country,
 * which a body whose shape is wrong may not have reached: it is wrong for certain only when no supported
 * locale has it.
 */
function languageProblems(raw: unknown, field: string): Problem[] {
  const given = asText(raw).trim();
  if (!given) return [];
  const r = resolveLocale(given, { language: 'en_US', country: 'US' }, field);
  if (r.ok) return [];
  const bare = /^[a-z]{2}$/i.test(given) && SUPPORTED_LOCALES.some((l) => l.toLowerCase().startsWith(`${given.toLowerCase()}_`));
  return bare ? [] : r.problems;
}

function timezoneProblems(raw: unknown, field: string): Problem[] {
  const given = asText(raw).trim();
  return given && !isTimezone(given)
    ? [problem('invalid_timezone', `"${given}" is not an IANA time zone (for example Europe/Berlin, America/New_York)`, field)]
    : [];
}

/**
 * The rules of a customer body that can still be checked when its shape is wrong (a field missing or
 * of the wrong type, a customer without a name): the addresses, the package list, the languages and the
 * time zones, each read leniently (a missing text is
 * empty). The edge reports these together with the shape errors, so a client sees every problem of
 * a request at once rather than one round of errors per fix.
 */
export function checkCustomerRulesOnRaw(raw: unknown): Problem[] {
  const body = asObject(raw);
  if (!body) return [];
  const problems: Problem[] = [...addressProblems(body.address, 'address')];
  problems.push(...languageProblems(asObject(body.customerInfo)?.language, 'customerInfo.language'));
  const parameters = asObject(body.provisioningParameters);
  const location = asObject(asObject(parameters?.calling)?.location);
  if (location) {
    problems.push(...addressProblems(location.address, 'provisioningParameters.calling.location.address'));
    problems.push(...timezoneProblems(location.timezone, 'provisioningParameters.calling.location.timezone'));
    problems.push(...languageProblems(location.language, 'provisioningParameters.calling.location.language'));
  }
  problems.push(...timezoneProblems(asObject(parameters?.meetings)?.timezone, 'provisioningParameters.meetings.timezone'));
  const packages = body.packages;
  if (Array.isArray(packages) && packages.length && packages.every((p) => typeof p === 'string')) {
    const r = checkCustomerPackages(packages as string[]);
    if (!r.ok) problems.push(...r.problems);
  }
  return problems;
}

/** Shape errors first, then the rule errors about fields the shape errors do not already name. */
export function mergeShapeAndRuleProblems(shape: readonly Problem[], rules: readonly Problem[]): Problem[] {
  const named = new Set(shape.map((p) => p.field).filter((f): f is string => f !== undefined));
  const covered = (field: string | undefined) =>
    field !== undefined && [...named].some((n) => n === field || field.startsWith(`${n}.`) || n.startsWith(`${field}.`));
  return [...shape, ...rules.filter((p) => !covered(p.field))];
}
