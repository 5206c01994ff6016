import { addUserArgs } from '../../contracts/chat-arguments.js';
import { packageName } from '../../domain/dashboard-figures.js';
import { PACKAGE_IDS, PACKAGES, splitPackageList } from '../../domain/packages.js';
import { fail, ok, problem } from '../../domain/problems.js';
import { actorOf, defineCommand, type FormField } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { given, toFormValues } from '../form-values.js';
import { cannotReply, escapeMarkdown, problemsReply } from '../replies.js';
import type { AddUserArgs } from '../../contracts/chat-arguments.js';
import { readPairs } from '../tokenize.js';

const toInput = (customerId: string, a: AddUserArgs) => ({
  customerId,
  email: a.email,
  packages: splitPackageList(a.package),
  provisioningParameters: { firstName: a.firstName, lastName: a.lastName, extension: a.extension, primaryPhoneNumber: a.phone },
});

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
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return found;
    // A command that will certainly fail never asks "yes?": the POST's own rules run first, writing nothing.
    const checked = await ctx.useCases.validateSubscriber(actorOf(ctx), toInput(found.value.id, a), ctx.deps);
    if (!checked.ok) return fail(problem(checked.problems[0]!.code, cannotReply(`add **${escapeMarkdown(a.email)}**`, checked.problems)));
    return ok(
      `Add **${escapeMarkdown(a.email)}** (${escapeMarkdown(`${a.firstName} ${a.lastName}`)}) to ${escapeMarkdown(found.value.name ?? found.value.externalId)} with ${escapeMarkdown(
        a.package
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(packageName)
          .join(', '),
      )}? Their billing starts now.`,
    );
  },
  async run(ctx, a) {
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const r = await ctx.useCases.createSubscriber(actorOf(ctx), toInput(found.value.id, a), ctx.deps);
    if (!r.ok) return { markdown: cannotReply(`add **${escapeMarkdown(a.email)}**`, r.problems) };
    return {
      markdown: `Added **${escapeMarkdown(a.email)}** to ${escapeMarkdown(found.value.name ?? found.value.externalId)} with ${packageName(r.value.package)}; they are ${r.value.status}.`,
    };
  },
});
