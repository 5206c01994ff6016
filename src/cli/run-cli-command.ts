import type { Kysely } from 'kysely';
import { insertApiToken, listApiTokens, revokeApiToken } from '../db/repositories/api-tokens.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { listTemplates } from '../db/repositories/onboarding-templates.js';
import { findPartnerByOrgId, findRootPartner, insertPartner, setPartnerState, updatePartnerSettings } from '../db/repositories/partners.js';
import { listStaff, upsertStaff } from '../db/repositories/staff.js';
import type { Database } from '../db/schema.js';
import { isCountryCode } from '../domain/address.js';
import { ALL_SCOPES, isScope } from '../domain/scopes.js';
import { toWebexId } from '../domain/webex-ids.js';
import { hashToken, TOKEN_PREFIX } from '../platform/token-hash.js';
import type { Clock, IdSource } from '../ports.js';

export const CLI_USAGE = `Usage: npm run cli -- <command>

  partner show                              the partner, its settings, sub-partners and templates
  partner set enable_wholesale_delayed_billing true|false
  sub-partner add --name <name>             create a sub-partner (prints its orgId)
  sub-partner suspend|activate <orgId>
  token create --name <name> [--scopes a,b] [--partner <sub-partner orgId>]
                                            prints the new token once (default: every scope)
  token list                                tokens with their prefix, scopes and state
  token revoke <tokenId>
  staff add <email> --role admin|operator|viewer
  staff list
  call-in set <CC> <number> [<number> ...]  Meetings call-in numbers of a country, first one is the default
`;

export interface CliResult {
  output: string;
  exitCode: number;
}

const fail = (message: string): CliResult => ({ output: `error: ${message}`, exitCode: 1 });

/** Runs one operator command; pure of process I/O so tests drive it directly. */
export async function runCliCommand(db: Kysely<Database>, args: string[], opts: { name?: string | undefined; scopes?: string | undefined; role?: string | undefined; partner?: string | undefined }, deps: { clock: Clock; ids: IdSource }): Promise<CliResult> {
  const root = await findRootPartner(db);
  if (!root) return fail('no partner yet; start the service once');
  const [group, action, ...rest] = args;
  const now = deps.clock.now();
  const audit = (action: string, entityType: string, entityId: string, after?: object) =>
    appendAudit(db, { at: now, partnerId: root.id, actor: 'cli', action, entityType, entityId, after: after ?? null });

  switch (`${group} ${action ?? ''}`.trim()) {
    case 'partner show': {
      const subs = await db.selectFrom('partners').selectAll().where('parent_id', '=', root.id).orderBy('created_at').execute();
      const templates = await listTemplates(db, [root.id]);
      const lines = [
        `partner  ${root.name}  orgId ${root.org_id}  state ${root.provisioning_state}`,
        `settings ${JSON.stringify(root.settings)}`,
        `sub-partners (${subs.length}):`,
        ...subs.map((s) => `  ${s.name}  orgId ${s.org_id}  ${s.provisioning_state}`),
        `templates (${templates.length}):`,
        ...templates.map((t) => `  ${t.name}  provisioningId ${t.id}  ${t.country} ${t.language} auth ${t.auth_mode}`),
      ];
      return { output: lines.join('\n'), exitCode: 0 };
    }
    case 'partner set': {
      const [key, value] = rest;
      if (key !== 'enable_wholesale_delayed_billing' || (value !== 'true' && value !== 'false')) {
        return fail('usage: partner set enable_wholesale_delayed_billing true|false');
      }
      const settings = { ...root.settings, enable_wholesale_delayed_billing: value === 'true' };
      await updatePartnerSettings(db, root.id, settings);
      await audit('partner.settings', 'partner', root.id, settings);
      return { output: `${key} = ${value}`, exitCode: 0 };
    }
    case 'sub-partner add': {
      if (!opts.name?.trim()) return fail('give the sub-partner a --name');
      const id = deps.ids.uuid();
      const orgId = toWebexId('ORGANIZATION', id);
      await insertPartner(db, { id, orgId, name: opts.name.trim(), parentId: root.id, subscriptionId: toWebexId('SUBSCRIPTION', deps.ids.uuid()), createdAt: now });
      await audit('sub_partner.create', 'partner', id, { name: opts.name.trim() });
      return { output: `sub-partner ${opts.name.trim()} created; orgId ${orgId}`, exitCode: 0 };
    }
    case 'sub-partner suspend':
    case 'sub-partner activate': {
      const sub = rest[0] ? await findPartnerByOrgId(db, rest[0]) : undefined;
      if (!sub || sub.parent_id !== root.id) return fail(`no sub-partner with orgId ${rest[0] ?? '(missing)'}`);
      const state = action === 'suspend' ? 'suspended' : 'active';
      await setPartnerState(db, sub.id, state);
      await audit(`sub_partner.${action}`, 'partner', sub.id, { state });
      return { output: `${sub.name} is ${state}`, exitCode: 0 };
    }
    case 'token create': {
      if (!opts.name?.trim()) return fail('give the token a --name, e.g. --name billing-system');
      const scopes = opts.scopes ? opts.scopes.split(',').map((s) => s.trim()).filter(Boolean) : [...ALL_SCOPES];
      const bad = scopes.filter((s) => !isScope(s));
      if (bad.length) return fail(`unknown scope(s) ${bad.join(', ')}; use ${ALL_SCOPES.join(', ')}`);
      let partnerId = root.id;
      if (opts.partner) {
        const sub = await findPartnerByOrgId(db, opts.partner);
        if (!sub || sub.parent_id !== root.id) return fail(`no sub-partner with orgId ${opts.partner}`);
        partnerId = sub.id;
      }
      const token = `${TOKEN_PREFIX}${deps.ids.secret(32)}`;
      const id = deps.ids.uuid();
      await insertApiToken(db, { id, partnerId, name: opts.name.trim(), tokenHash: hashToken(token), tokenPrefix: token.slice(0, 10), scopes });
      await audit('api_token.create', 'api_token', id, { name: opts.name.trim(), scopes });
      return { output: `token ${id} created with scopes ${scopes.join(', ')}.\nIt is shown only now:\n\n  ${token}\n`, exitCode: 0 };
    }
    case 'token list': {
      const rows = await listApiTokens(db);
      return { output: rows.map((t) => `${t.id}  ${t.token_prefix}…  ${t.name}  ${t.revoked_at ? `revoked ${t.revoked_at.toISOString()}` : 'active'}  ${t.scopes.join(',')}`).join('\n') || 'no tokens', exitCode: 0 };
    }
    case 'token revoke': {
      const id = rest[0];
      if (!id) return fail('usage: token revoke <tokenId> (see token list)');
      if (!(await revokeApiToken(db, id, now))) return fail(`no active token ${id}`);
      await audit('api_token.revoke', 'api_token', id);
      return { output: `token ${id} revoked`, exitCode: 0 };
    }
    case 'staff add': {
      const email = rest[0]?.trim().toLowerCase();
      if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return fail('usage: staff add <email> --role admin|operator|viewer');
      if (opts.role !== 'admin' && opts.role !== 'operator' && opts.role !== 'viewer') return fail('--role must be admin, operator or viewer');
      const row = await upsertStaff(db, { id: deps.ids.uuid(), partnerId: root.id, email, role: opts.role });
      await audit('staff.upsert', 'staff', row.id, { email, role: opts.role });
      return { output: `${email} is ${opts.role}`, exitCode: 0 };
    }
    case 'staff list': {
      const rows = await listStaff(db, root.id);
      return { output: rows.map((s) => `${s.email}  ${s.role}`).join('\n') || 'no staff yet', exitCode: 0 };
    }
    case 'call-in set': {
      const [country, ...numbers] = rest;
      const cc = country?.toUpperCase() ?? '';
      if (!isCountryCode(cc) || numbers.length === 0) return fail('usage: call-in set <CC> <number> [<number> ...]');
      const badNumber = numbers.find((n) => !/^\+[\d\s-]{2,20}$/.test(n));
      if (badNumber) return fail(`"${badNumber}" is not a phone number starting with + and the country code`);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('telephony_call_in_numbers').where('country', '=', cc).execute();
        await trx.insertInto('telephony_call_in_numbers').values(numbers.map((number, i) => ({ country: cc, position: i + 1, number }))).execute();
      });
      await audit('telephony.call_in_set', 'country', cc, { numbers });
      return { output: `${cc}: ${numbers.join(', ')}`, exitCode: 0 };
    }
    default:
      return fail(`unknown command "${args.join(' ')}"\n\n${CLI_USAGE}`);
  }
}
