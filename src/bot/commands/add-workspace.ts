import { addWorkspaceArgs, type AddWorkspaceArgs } from '../../contracts/chat-arguments.js';
import { fail, ok, problem } from '../../domain/problems.js';
import { actorOf, defineCommand } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { given } from '../form-values.js';
import { cannotReply, escapeMarkdown, problemsReply } from '../replies.js';
import { readPairs } from '../tokenize.js';

const KEYS = ['to', 'extension', 'phone'] as const;
const toInput = (customerId: string, a: AddWorkspaceArgs) => ({
  customerId,
  name: a.name,
  provisioningParameters: { extension: a.extension, primaryPhoneNumber: a.phone },
});

export const addWorkspaceCommand = defineCommand({
  name: 'add workspace',
  summary: 'Add a workspace (a shared phone holding Common Area Calling) to a customer (asks to confirm; its billing starts)',
  usage: 'add workspace <name> to <customer> [extension <n>|phone <e164>]',
  examples: ['add workspace "Lobby phone" to "Alder Dental" extension 1900'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read(words) {
    const { positional, pairs } = readPairs(words, KEYS);
    return {
      name: given(positional.join(' ')),
      customer: given(pairs.to),
      extension: given(pairs.extension),
      phone: given(pairs.phone),
    };
  },
  args: addWorkspaceArgs,
  async propose(ctx, a) {
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return found;
    // A command that will certainly fail never asks "yes?": the POST's own rules run first, writing nothing.
    const checked = await ctx.useCases.validateWorkspace(actorOf(ctx), toInput(found.value.id, a), ctx.deps);
    if (!checked.ok)
      return fail(problem(checked.problems[0]!.code, cannotReply(`add workspace **${escapeMarkdown(a.name)}**`, checked.problems)));
    return ok(
      `Add workspace **${escapeMarkdown(a.name)}** to ${escapeMarkdown(found.value.name ?? found.value.externalId)} with Common Area Calling? ${ctx.upstream ? 'Webex creates it in the customer’s org; its billing starts when Webex confirms it.' : 'Its billing starts now.'}`,
    );
  },
  async run(ctx, a) {
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const r = await ctx.useCases.createWorkspace(actorOf(ctx), toInput(found.value.id, a), ctx.deps);
    if (!r.ok) return { markdown: cannotReply(`add workspace **${escapeMarkdown(a.name)}**`, r.problems) };
    const where = `workspace **${escapeMarkdown(r.value.name)}** to ${escapeMarkdown(found.value.name ?? found.value.externalId)} with Common Area Calling (id ${r.value.id})`;
    // Upstream, a task carries it to Webex: billing starts at Webex's confirmation, not now.
    if (r.value.status === 'provisioning')
      return { markdown: `Adding ${where}: Webex is creating it in the customer’s org; its billing starts when Webex confirms it.` };
    return { markdown: `Added ${where}; billing started at ${ctx.deps.now.toISOString()}.` };
  },
});
