import { checkAddress, type Address } from './address.js';
import { checkCustomerPackages } from './packages.js';
import type { Problem } from './problems.js';

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
 * The rules of a customer body that can still be checked when its shape is wrong (a field missing or
 * of the wrong type): the addresses and the package list, each read leniently (a missing text is
 * empty). The edge reports these together with the shape errors, so a client sees every problem of
 * a request at once rather than one round of errors per fix.
 */
export function checkCustomerRulesOnRaw(raw: unknown): Problem[] {
  const body = asObject(raw);
  if (!body) return [];
  const problems: Problem[] = [...addressProblems(body.address, 'address')];
  const location = asObject(asObject(asObject(body.provisioningParameters)?.calling)?.location);
  if (location) problems.push(...addressProblems(location.address, 'provisioningParameters.calling.location.address'));
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
