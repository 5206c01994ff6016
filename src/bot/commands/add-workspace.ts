import { addWorkspaceArgs } from '../../contracts/chat-arguments.js';
import { ok } from '../../domain/problems.js';
import { createWorkspace } from '../../use-cases/workspaces.js';
import { defineCommand } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { given } from '../form-values.js';
import { escapeMarkdown, problemsReply } from '../replies.js';
import { readPairs } from '../tokenize.js';

const KEYS = ['to', 'extension', 'phone'] as const;

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
    const found = await customerOrReply(ctx.db, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return found;
    return ok(
      `Add workspace **${escapeMarkdown(a.name)}** to ${escapeMarkdown(found.value.name ?? found.value.external_id)} with Common Area Calling? Its billing starts now.`,
    );
  },
  async run(ctx, a) {
    const found = await customerOrReply(ctx.db, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const r = await createWorkspace(
      ctx.db,
      { partner: ctx.actor.partner, label: ctx.actor.label },
      { customerId: found.value.id, name: a.name, provisioningParameters: { extension: a.extension, primaryPhoneNumber: a.phone } },
      ctx.deps,
    );
    if (!r.ok)
      return {
        markdown: `I could not add workspace **${escapeMarkdown(a.name)}**:\n${r.problems.map((p) => `- ${escapeMarkdown(p.message)}`).join('\n')}`,
      };
    return {
      markdown: `Added workspace **${escapeMarkdown(r.value.workspace.name)}** to ${escapeMarkdown(found.value.name ?? found.value.external_id)} with Common Area Calling (id ${r.value.workspace.id}); billing started at ${ctx.deps.now.toISOString()}.`,
    };
  },
});
