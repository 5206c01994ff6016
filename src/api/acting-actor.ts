import type { Context } from 'hono';
import type { Result } from '../domain/problems.js';
import type { Actor } from '../use-cases/actor.js';
import type { PartnerAction } from '../use-cases/resolve-acting-partner.js';
import type { AppDeps, AppEnv } from './app-env.js';

/** The actor of an API call: the token's partner, or the sub-partner it acts for. */
export async function toActor(c: Context<AppEnv>, deps: AppDeps, action: PartnerAction): Promise<Result<Actor>> {
  const auth = c.get('auth');
  const acting = await deps.useCases.resolveActingPartner(auth.partner, c.req.query('onBehalfOfSubPartnerOrgId'), action);
  if (!acting.ok) return acting;
  return { ok: true, value: { partner: acting.value, label: auth.actorLabel } };
}

export const useCaseDeps = (deps: AppDeps) => ({
  now: deps.clock.now(),
  uuid: deps.ids.uuid,
  viaWebex: Boolean(deps.upstream),
  backdateMaxDays: deps.config.BACKDATE_MAX_DAYS,
});
