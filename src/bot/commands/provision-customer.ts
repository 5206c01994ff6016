import { z } from 'zod';
import { packageName } from '../../domain/dashboard-figures.js';
import { isCountryCode } from '../../domain/address.js';
import { isCallingPackage, PACKAGE_IDS, PACKAGES, toPackageId } from '../../domain/packages.js';
import { defineCommand, type BotContext, type FormField } from '../bot-command.js';
import { buildFormCard } from '../cards.js';
import { given, requiredText, splitList, toFormValues } from '../form-values.js';
import { escapeMarkdown } from '../replies.js';
import { readPairs } from '../tokenize.js';

const KEYS = [
  'email',
  'country',
  'packages',
  'external-id',
  'language',
  'address',
  'city',
  'state',
  'zip',
  'timezone',
  'template',
] as const;
const FIELD_OF: Record<(typeof KEYS)[number], string> = {
  email: 'email',
  country: 'country',
  packages: 'packages',
  'external-id': 'externalId',
  language: 'language',
  address: 'address',
  city: 'city',
  state: 'state',
  zip: 'zip',
  timezone: 'timezone',
  template: 'template',
};

const args = z.object({
  name: requiredText('give the customer name first'),
  email: z.email("give the customer admin's email: email <address>"),
  country: requiredText('give a two-letter country code: country US', 10)
    .toUpperCase()
    .refine(isCountryCode, 'give a two-letter country code such as US, GB or DE'),
  packages: z
    .array(z.string(), { error: 'list the packages: packages webex_calling,webex_meetings' })
    .min(1, 'list the packages: packages webex_calling,webex_meetings'),
  address: requiredText('give the street address: address "771 Alder Drive"', 200),
  city: requiredText('give the city: city Milpitas', 100),
  state: z.string().trim().max(100).optional(),
  zip: z.string().trim().max(20).optional(),
  externalId: z.string().trim().min(1).max(256).optional(),
  language: z.string().trim().max(10).optional(),
  timezone: z.string().trim().max(64).optional(),
  template: z.string().trim().max(100).optional(),
});

/** An externalId from the name when none is given: lower-case words joined by dashes. */
const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'customer';

const fromInputs = (i: Record<string, string>) => ({
  name: given(i.name),
  email: given(i.email),
  country: given(i.country),
  packages: splitList(i.packages),
  address: given(i.address),
  city: given(i.city),
  state: given(i.state),
  zip: given(i.zip),
  timezone: given(i.timezone),
  externalId: given(i.externalId),
  language: given(i.language),
  template: given(i.template),
});

async function formFields(): Promise<readonly FormField[]> {
  return [
    { id: 'name', label: 'Customer name', required: true, placeholder: 'Alder Dental Group' },
    { id: 'email', label: 'Customer admin email', required: true, placeholder: 'it-admin@alder-dental.example' },
    {
      id: 'packages',
      label: 'Packages',
      required: true,
      multiple: true,
      choices: PACKAGE_IDS.map((id) => ({ title: PACKAGES[id].label, value: id })),
    },
    { id: 'country', label: 'Country (two letters)', required: true, placeholder: 'US' },
    { id: 'address', label: 'Street address', required: true, placeholder: '771 Alder Drive' },
    { id: 'city', label: 'City', required: true, placeholder: 'Milpitas' },
    { id: 'state', label: 'State or province (US and Canada)', placeholder: 'CA' },
    { id: 'zip', label: 'Postal code', placeholder: '95035' },
    { id: 'timezone', label: 'Time zone (IANA, e.g. America/Los_Angeles; needed where a country has several)' },
    { id: 'externalId', label: 'External id (your CRM id; made from the name if empty)' },
    { id: 'language', label: 'Language (e.g. en_US; from the country if empty)' },
  ];
}

async function templateFor(ctx: BotContext, name: string | undefined) {
  const templates = await ctx.useCases.listTemplatesOf([ctx.actor.partner.id]);
  return name ? templates.find((t) => t.name.toLowerCase() === name.toLowerCase()) : templates[0];
}

export const provisionCustomerCommand = defineCommand({
  name: 'provision customer',
  summary: 'Provision a new customer organisation (a form asks for anything missing)',
  usage:
    'provision customer <name> email <email> country <CC> packages <p,p> address <street> city <city> [state <st>] [zip <code>] [timezone <IANA zone>] [external-id <id>] [language <ll_CC>]',
  examples: [
    'provision customer "Alder Dental" email it@alder.example country US packages webex_calling,webex_meetings address "771 Alder Drive" city Milpitas state CA zip 95035 timezone America/Los_Angeles',
    'provision customer "Brook Law"  (opens the form)',
  ],
  role: 'operator',
  scopes: ['spark-admin:wholesale_customers_write'],
  read(words) {
    const { positional, pairs } = readPairs(words, KEYS);
    const raw: Record<string, string | string[] | undefined> = { name: given(positional.join(' ')) };
    for (const key of KEYS) raw[FIELD_OF[key]] = key === 'packages' ? splitList(pairs[key]) : given(pairs[key]);
    return raw;
  },
  args,
  form: { title: 'Provision a customer', fields: formFields, toInputs: toFormValues, fromInputs },
  async run(ctx, a) {
    const template = await templateFor(ctx, a.template);
    if (!template)
      return {
        markdown: a.template
          ? `No onboarding template "${escapeMarkdown(a.template)}".`
          : 'There is no onboarding template yet; create one through the API first.',
      };
    const externalId = a.externalId ?? slugOf(a.name);
    const result = await ctx.useCases.createCustomer(
      { partner: ctx.actor.partner, label: ctx.actor.label },
      {
        provisioningId: template.provisioningId,
        externalId,
        packages: a.packages,
        address: { addressLine1: a.address, city: a.city, stateOrProvince: a.state, zipOrPostalCode: a.zip, country: a.country },
        customerInfo: { name: a.name, primaryEmail: a.email.toLowerCase(), language: a.language },
        // Calling needs a location; from chat it is the customer's own address, in the country's default zone.
        provisioningParameters: a.packages.some((p) => {
          const id = toPackageId(p);
          return id !== undefined && isCallingPackage(id);
        })
          ? {
              meetings: a.timezone ? { timezone: a.timezone } : undefined,
              calling: {
                location: {
                  name: a.city.slice(0, 80),
                  address: { addressLine1: a.address, city: a.city, stateOrProvince: a.state, zipOrPostalCode: a.zip, country: a.country },
                  timezone: a.timezone,
                },
              },
            }
          : undefined,
      },
      ctx.deps,
    );
    if (!result.ok) {
      const problems = result.problems.map((p) => p.message);
      const card = buildFormCard('provision customer', 'Provision a customer', await formFields(), toFormValues(a), problems);
      return {
        markdown: `I could not provision **${escapeMarkdown(a.name)}**:\n${problems.map((p) => `- ${escapeMarkdown(p)}`).join('\n')}`,
        card,
      };
    }
    const c = result.value.customer;
    if (!result.value.created)
      return { markdown: `**${escapeMarkdown(a.name)}** (${escapeMarkdown(externalId)}) was already accepted; it is ${c.status}.` };
    return {
      markdown: `Accepted **${escapeMarkdown(a.name)}** (${escapeMarkdown(externalId)}) with ${a.packages.map(packageName).join(', ')}; it is ${c.status}. Ask \`status ${escapeMarkdown(externalId)}\` to follow it.`,
    };
  },
});
