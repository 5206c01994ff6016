import { isCountryCode } from '../domain/address.js';
import { ALL_SCOPES, isScope, SUB_PARTNER_SCOPES } from '../domain/scopes.js';
import { isStaffEmail } from '../domain/staff-roles.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import type { PartnerSettingsView } from '../use-cases/partner-views.js';
import { createSecretBox, type SecretBox } from '../platform/secret-box.js';
import { describeSyncOutcome } from '../use-cases/sync-every-partner.js';
import { isTaskKind } from '../contracts/task-payloads.js';
import { TASK_STATES, type TaskState } from '../use-cases/task-retries.js';

const useCaseDepsAt = (now: Date, deps: { ids: IdSource; upstream?: WebexWholesalePort | undefined }) => ({
  now,
  uuid: deps.ids.uuid,
  viaWebex: Boolean(deps.upstream),
});
import type { IssuedInvoice } from '../contracts/issued-invoices.js';
import { formatMinor } from '../domain/money.js';
import { CLI_USAGE } from './cli-usage.js';
import type { CliOptions, CliResult } from './cli-options.js';

export { CLI_USAGE };

export type { CliResult };

const fail = (message: string): CliResult => ({ output: `error: ${message}`, exitCode: 1 });

/** The settings as `partner show` has always printed them: under Webex's names, the ones `partner set` takes. */
const underWebexNames = (s: PartnerSettingsView) =>
  s.delayedBilling === undefined ? {} : { enable_wholesale_delayed_billing: s.delayedBilling };

/** Runs one operator command; pure of process I/O so tests drive it directly. */
export async function runCliCommand(
  useCases: UseCases,
  args: string[],
  opts: CliOptions,

  deps: {
    clock: Clock;
    ids: IdSource;
    box?: SecretBox;
    upstream?: WebexWholesalePort | undefined;
    /** INVOICE_NUMBER_PREFIX. */
    invoiceNumberPrefix?: string | undefined;
  },
): Promise<CliResult> {
  const root = await useCases.loadRootPartner();
  if (!root) return fail('no partner yet; start the service once');
  const [group, action, ...rest] = args;
  const now = deps.clock.now();
  const opDeps = { now, ids: deps.ids };

  switch (`${group} ${action ?? ''}`.trim()) {
    case 'partner show': {
      const { partner, subPartners: subs, templates } = await useCases.describePartner(root);
      const lines = [
        `partner  ${partner.name}  orgId ${partner.orgId}  state ${partner.provisioningState}`,
        `settings ${JSON.stringify(underWebexNames(partner.settings))}`,
        `sub-partners (${subs.length}):`,
        ...subs.map((s) => `  ${s.name}  orgId ${s.orgId}  ${s.provisioningState}`),
        `templates (${templates.length}):`,
        ...templates.map((t) => `  ${t.name}  provisioningId ${t.id}  ${t.country} ${t.language} auth ${t.authMode}`),
      ];
      return { output: lines.join('\n'), exitCode: 0 };
    }
    case 'partner set': {
      const [key, value] = rest;
      if (key !== 'enable_wholesale_delayed_billing' || (value !== 'true' && value !== 'false')) {
        return fail('usage: partner set enable_wholesale_delayed_billing true|false');
      }
      await useCases.setDelayedBilling(root, value === 'true', now);
      return { output: `${key} = ${value}`, exitCode: 0 };
    }
    case 'sub-partner add': {
      if (!opts.name?.trim()) return fail('give the sub-partner a --name');
      const added = await useCases.addSubPartner(root, opts.name.trim(), opDeps, opts['billing-start']);
      if (!added.ok) return fail(added.problems.map((p) => p.message).join('; '));
      const { orgId, billingStartDate } = added.value;
      return { output: `sub-partner ${opts.name.trim()} created; orgId ${orgId} (billing starts ${billingStartDate})`, exitCode: 0 };
    }
    case 'sub-partner billing-start': {
      const [orgId, date] = rest;
      if (!orgId || !date) return fail('usage: sub-partner billing-start <orgId> <YYYY-MM-DD>');
      const moved = await useCases.setSubPartnerBillingStart(root, orgId, date, now);
      if (!moved.ok) return fail(moved.problems.map((p) => p.message).join('; '));
      return { output: `${moved.value.name}: billing starts ${moved.value.billingStartDate}`, exitCode: 0 };
    }
    case 'sub-partner suspend':
    case 'sub-partner activate': {
      const state = action === 'suspend' ? 'suspended' : 'active';
      const sub = await useCases.setSubPartnerState(root, rest[0], state, now);
      if (!sub.ok) return fail(sub.problems.map((p) => p.message).join('; '));
      return { output: `${sub.value.name} is ${state}`, exitCode: 0 };
    }
    case 'token create': {
      if (!opts.name?.trim()) return fail('give the token a --name, e.g. --name billing-system');
      const scopes = opts.scopes
        ? opts.scopes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [...(opts.partner ? SUB_PARTNER_SCOPES : ALL_SCOPES)];
      const bad = scopes.filter((s) => !isScope(s));
      if (bad.length) return fail(`unknown scope(s) ${bad.join(', ')}; use ${ALL_SCOPES.join(', ')}`);
      const created = await useCases.createApiToken(root, { name: opts.name.trim(), scopes, subPartnerOrgId: opts.partner }, opDeps);
      if (!created.ok) return fail(created.problems.map((p) => p.message).join('; '));
      const { id, token } = created.value;
      return { output: `token ${id} created with scopes ${scopes.join(', ')}.\nIt is shown only now:\n\n  ${token}\n`, exitCode: 0 };
    }
    case 'token list': {
      const rows = await useCases.listTokens();
      return {
        output:
          rows
            .map(
              (t) =>
                `${t.id}  ${t.tokenPrefix}…  ${t.name}  ${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active'}  ${t.scopes.join(',')}`,
            )
            .join('\n') || 'no tokens',
        exitCode: 0,
      };
    }
    case 'token revoke': {
      const id = rest[0];
      if (!id) return fail('usage: token revoke <tokenId> (see token list)');
      if (!(await useCases.revokeToken(root, id, now))) return fail(`no active token ${id}`);
      return { output: `token ${id} revoked`, exitCode: 0 };
    }
    case 'staff add': {
      const email = rest[0]?.trim().toLowerCase();
      if (!email || !isStaffEmail(email)) return fail('usage: staff add <email> --role admin|operator|viewer');
      if (opts.role !== 'admin' && opts.role !== 'operator' && opts.role !== 'viewer')
        return fail('--role must be admin, operator or viewer');
      await useCases.addStaff(root, email, opts.role, opDeps);
      return { output: `${email} is ${opts.role}`, exitCode: 0 };
    }
    case 'staff list': {
      const rows = await useCases.listStaffOf(root);
      return { output: rows.map((s) => `${s.email}  ${s.role}`).join('\n') || 'no staff yet', exitCode: 0 };
    }
    case 'call-in set': {
      const [country, ...numbers] = rest;
      const cc = country?.toUpperCase() ?? '';
      if (!isCountryCode(cc) || numbers.length === 0) return fail('usage: call-in set <CC> <number> [<number> ...]');
      const badNumber = numbers.find((n) => !/^\+[\d\s-]{2,20}$/.test(n));
      if (badNumber) return fail(`"${badNumber}" is not a phone number starting with + and the country code`);
      await useCases.setCallInNumbers(root, cc, numbers, now);
      return { output: `${cc}: ${numbers.join(', ')}`, exitCode: 0 };
    }
    case 'secrets rotate': {
      const { retireAfter } = await useCases.rotateDownloadKey(deps.box ?? createSecretBox({}), deps);
      return {
        output: `a new download-link signing key is in use; the previous one verifies until ${retireAfter.toISOString()}`,
        exitCode: 0,
      };
    }
    case 'secrets reencrypt': {
      const done = await useCases.reencryptSecrets(deps.box ?? createSecretBox({}));
      if (!done.ok) return fail(done.problems.map((p) => p.message).join('; '));
      return {
        output: `${done.value.reencrypted} of ${done.value.total} stored secrets re-encrypted under SECRETS_KEY; SECRETS_KEY_PREVIOUS can be removed`,
        exitCode: 0,
      };
    }
    case 'sync': {
      if (!deps.upstream)
        return fail(
          'the desk runs standalone: there is no Webex Wholesale to sync with (set WEBEX_WHOLESALE_TOKEN or the OAuth variables)',
        );
      const outcomes = await useCases.syncEveryPartner(deps.upstream, root, 'cli', { now, uuid: deps.ids.uuid, viaWebex: true });
      return { output: outcomes.map(describeSyncOutcome).join('\n'), exitCode: outcomes.every((o) => o.summary) ? 0 : 1 };
    }
    case 'tasks list':
    case 'tasks retry': {
      const states = opts.state ? opts.state.split(',').map((s) => s.trim()) : [...TASK_STATES];
      const badState = states.find((s) => !(TASK_STATES as readonly string[]).includes(s));
      if (badState) return fail(`--state must be parked or failed, not "${badState}"`);
      if (opts.kind && !isTaskKind(opts.kind)) return fail(`--kind "${opts.kind}" is not a task kind (e.g. customer.provision)`);
      const filter = { states: states as TaskState[], ...(opts.kind ? { kind: opts.kind } : {}) };
      const actor = { partner: root, label: 'cli' };
      if (action === 'list') {
        const rows = await useCases.listTasks(actor, { ...filter, offset: 0, max: 1000 });
        return {
          output:
            rows
              .map((t) => `${t.id}  ${t.state}  ${t.kind}  ${t.entityId}  attempts ${t.attempts}  ${t.lastError ?? ''}`.trimEnd())
              .join('\n') || 'no held or failed tasks',
          exitCode: 0,
        };
      }
      const id = rest[0];
      if (id) {
        const one = await useCases.retryTask(actor, id, useCaseDepsAt(now, deps));
        if (!one.ok) return fail(one.problems.map((p) => p.message).join('; '));
        return { output: `task ${id} (${one.value.kind}) is queued again; the running service picks it up`, exitCode: 0 };
      }
      const r = await useCases.retryTasks(actor, filter, useCaseDepsAt(now, deps));
      return { output: `${r.retried} task${r.retried === 1 ? '' : 's'} queued again; the running service picks them up`, exitCode: 0 };
    }
    case 'invoices issue': {
      if (!opts.month) return fail('usage: invoices issue --month YYYY-MM (an ended month)');
      const issued = await useCases.issueInvoicesForMonth({ partner: root, label: 'cli' }, opts.month, now, {
        numberPrefix: deps.invoiceNumberPrefix,
      });
      if (!issued.ok) return fail(issued.problems.map((p) => p.message).join('; '));
      const { issued: docs, alreadyIssued } = issued.value;
      const already = alreadyIssued ? `; ${alreadyIssued} customer(s) had been invoiced for it already` : '';
      if (!docs.length) return { output: `no new invoices for ${opts.month}${already}`, exitCode: 0 };
      return {
        output: [
          `issued ${docs.length} invoice(s) for ${opts.month}: ${docs[0]!.number}${docs.length > 1 ? ` to ${docs.at(-1)!.number}` : ''}${already}`,
          ...docs.map(invoiceRow),
        ].join('\n'),
        exitCode: 0,
      };
    }
    case 'invoices list': {
      const listed = await useCases.listIssuedInvoices(
        { partner: root, label: 'cli' },
        { month: opts.month, customer: opts.customer, max: 1000 },
      );
      if (!listed.ok) return fail(listed.problems.map((p) => p.message).join('; '));
      return { output: listed.value.items.map(invoiceRow).join('\n') || 'no issued invoices', exitCode: 0 };
    }
    default:
      return fail(`unknown command "${args.join(' ')}"\n\n${CLI_USAGE}`);
  }
}

/** One issued invoice on one line: number, customer, period, total, when and by whom. */
function invoiceRow(i: IssuedInvoice): string {
  return `${i.number}  ${i.externalId}  ${i.customerName ?? '-'}  ${i.month}  ${formatMinor(i.totalMinor)}${i.currency ? ` ${i.currency}` : ''}  issued ${i.issuedAt} by ${i.issuedBy}`;
}
