import { addUserArgs } from '../../contracts/chat-arguments.js';
import { PACKAGE_IDS, PACKAGES, splitPackageList } from '../../domain/packages.js';
import { ok } from '../../domain/problems.js';
import { createSubscriber } from '../../use-cases/subscribers.js';
import { defineCommand, type FormField } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { given, toFormValues } from '../form-values.js';
import { escapeMarkdown, problemsReply } from '../replies.js';
import { readPairs } from '../tokenize.js';

const KEYS = ['to', 'package', 'first', 'last', 'extension', 'phone'] as const;

const fromInputs = (i: Record<string, string>) => ({
  email: given(i.email)?.toLowerCase(),
  customer: given(i.customer),
  package: given(i.package),
  firstName: given(i.firstName),
  lastName: given(i.lastName),
  extension: given(i.extension),
  phone: given(i.phone),
});

async function formFields(): Promise<readonly FormField[]> {
  return [
    { id: 'email', label: 'Email', required: true },
    { id: 'customer', label: 'Customer (name or external id)', required: true },
    {
      id: 'package',
      label: 'Package',
      required: true,
      choices: PACKAGE_IDS.filter((id) => PACKAGES[id].forSubscribers).map((id) => ({ title: PACKAGES[id].label, value: id })),
    },
    { id: 'firstName', label: 'First name', required: true },
    { id: 'lastName', label: 'Last name', required: true },
    { id: 'extension', label: 'Extension (calling packages)' },
    { id: 'phone', label: 'Phone number, E.164 (instead of an extension)' },
  ];
}

export const addUserCommand = defineCommand({
  name: 'add user',
  summary: 'Add a subscriber to a customer (asks to confirm; their billing starts)',
  usage: 'add user <email> to <customer> package <pkg> first <name> last <name> [extension <n>|phone <e164>]',
  examples: ['add user ann@alder.example to "Alder Dental" package webex_calling first Ann last Lee extension 1001'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read(words) {
    const { positional, pairs } = readPairs(words, KEYS);
    return {
      email: given(positional.join(''))?.toLowerCase(),
      customer: given(pairs.to),
      package: given(pairs.package),
      firstName: given(pairs.first),
      lastName: given(pairs.last),
      extension: given(pairs.extension),
      phone: given(pairs.phone),
    };
  },
  args: addUserArgs,
  form: { title: 'Add a user', fields: formFields, toInputs: toFormValues, fromInputs },
  async propose(ctx, a) {
    const found = await customerOrReply(ctx.db, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return found;
    return ok(
      `Add **${escapeMarkdown(a.email)}** (${escapeMarkdown(`${a.firstName} ${a.lastName}`)}) to ${escapeMarkdown(found.value.name ?? found.value.external_id)} with ${escapeMarkdown(a.package)}? Their billing starts now.`,
    );
  },
  async run(ctx, a) {
    const found = await customerOrReply(ctx.db, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const r = await createSubscriber(
      ctx.db,
      { partner: ctx.actor.partner, label: ctx.actor.label },
      {
        customerId: found.value.id,
        email: a.email,
        packages: splitPackageList(a.package),
        provisioningParameters: { firstName: a.firstName, lastName: a.lastName, extension: a.extension, primaryPhoneNumber: a.phone },
      },
      ctx.deps,
    );
    if (!r.ok)
      return {
        markdown: `I could not add **${escapeMarkdown(a.email)}**:\n${r.problems.map((p) => `- ${escapeMarkdown(p.message)}`).join('\n')}`,
      };
    return {
      markdown: `Added **${escapeMarkdown(a.email)}** to ${escapeMarkdown(found.value.name ?? found.value.external_id)} with ${r.value.subscriber.package}; they are ${r.value.subscriber.status}.`,
    };
  },
});
