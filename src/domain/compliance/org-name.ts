import { fail, ok, problem, type Result } from '../problems.js';

/**
 * A name given in an update (`customerInfo.name`). Only an attached org that has none yet takes one:
 * screening needs it. An org that has a name keeps it (its name lives in Webex); giving the same name
 * again changes nothing.
 */
export function checkGivenOrgName(current: string | null, requested: string | undefined): Result<{ name: string | null; given: boolean }> {
  if (requested === undefined) return ok({ name: current, given: false });
  const name = requested.trim();
  if (!name) return fail(problem('invalid_request', 'customerInfo.name is empty', 'customerInfo.name'));
  if (name.includes('%')) return fail(problem('name_contains_percent', 'customerInfo.name may not contain "%"', 'customerInfo.name'));
  if (current === null) return ok({ name, given: true });
  if (current === name) return ok({ name: current, given: false });
  return fail(
    problem(
      'invalid_request',
      'customerInfo.name can only be given to an attached org that has no name yet; this customer is named in Webex',
      'customerInfo.name',
    ),
  );
}
