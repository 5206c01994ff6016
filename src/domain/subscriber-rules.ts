import { isCallingPackage, type PackageId } from './packages.js';
import { problem, type Problem } from './problems.js';

export interface CallingDetails {
  primaryPhoneNumber?: string | undefined;
  extension?: string | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EXTENSION = /^\d{2,10}$/;

/** Calling packages need a phone number or an extension, each in its valid form. */
export function checkCallingDetails(pkg: PackageId, details: CallingDetails, field = 'provisioningParameters'): Problem[] {
  const problems: Problem[] = [];
  const phone = details.primaryPhoneNumber?.trim();
  const ext = details.extension?.trim();
  if (phone && !E164.test(phone))
    problems.push(
      problem(
        'invalid_request',
        `primaryPhoneNumber "${phone}" is not an E.164 number such as +14085551234`,
        `${field}.primaryPhoneNumber`,
      ),
    );
  if (ext && !EXTENSION.test(ext))
    problems.push(problem('invalid_request', `extension "${ext}" must be 2 to 10 digits`, `${field}.extension`));
  if (isCallingPackage(pkg) && !phone && !ext) {
    problems.push(
      problem(
        'calling_parameters_missing',
        `${pkg} is a calling package: give provisioningParameters.primaryPhoneNumber, extension, or both`,
        field,
      ),
    );
  }
  return problems;
}

/** The packages field: `packages` (one base package plus add-ons) or the deprecated single `package`, not both. */
export function pickPackageInput(body: {
  package?: string | undefined;
  packages?: readonly string[] | undefined;
}): { ok: true; value: string[] } | { ok: false; problems: Problem[] } {
  if (body.package !== undefined && body.packages !== undefined) {
    return {
      ok: false,
      problems: [problem('one_package_required', 'send either packages or the deprecated package, not both', 'packages')],
    };
  }
  if (body.packages !== undefined) return { ok: true, value: [...body.packages] };
  if (body.package !== undefined) return { ok: true, value: [body.package] };
  return {
    ok: false,
    problems: [
      problem('one_package_required', 'packages is required: a list with exactly one base package plus optional add-ons', 'packages'),
    ],
  };
}
