import { z } from 'zod';
import type { DriftItem } from '../../use-cases/upstream-drift.js';
import { type AdaptiveCard, defineCommand } from '../bot-command.js';
import { CARD_COMMAND_KEY } from '../cards.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

/** The card lists this many items with their buttons; the API pages through the rest. */
const CARD_ITEMS = 10;

const KIND_TEXT: Readonly<Record<DriftItem['kind'], string>> = {
  only_webex: 'only in Webex',
  only_desk: 'only in the desk',
  status: 'status differs',
  packages: 'packages differ',
};

const stateText = (v: unknown) => {
  const s = v as { status: string; packages: string[] } | null;
  return s ? `${s.status}, ${s.packages.join(', ') || 'no packages'}` : 'absent';
};

/** One line per item: what differs, the desk's side and Webex's. */
export const describeDriftItem = (r: DriftItem): string =>
  `${r.entityType} ${r.subject}${r.entityType === 'subscriber' && r.customerExternalId ? ` (of ${r.customerExternalId})` : ''}: ${KIND_TEXT[r.kind]}. Desk: ${stateText(r.desk)}; Webex: ${stateText(r.webex)}`;

function driftCard(rows: readonly DriftItem[]): AdaptiveCard {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: 'Drift between the desk and Webex', weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  for (const r of rows) {
    body.push({ type: 'TextBlock', text: `${r.id.slice(0, 8)} · ${describeDriftItem(r)}`, wrap: true, separator: true });
    const actions = [
      { type: 'Action.Submit', title: "Adopt Webex's", data: { [CARD_COMMAND_KEY]: 'drift resolve', action: 'adopt', id: r.id } },
    ];
    if (r.kind !== 'status')
      actions.push({
        type: 'Action.Submit',
        title: "Push the desk's",
        data: { [CARD_COMMAND_KEY]: 'drift resolve', action: 'push', id: r.id },
      });
    body.push({ type: 'ActionSet', actions });
  }
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3', body };
}

export const driftCommand = defineCommand({
  name: 'drift',
  summary: 'Differences between the desk and Webex found by `sync`, each with buttons to adopt Webex’s state or push the desk’s',
  usage: 'drift',
  examples: ['drift'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_customers_read'],
  read: (words) => ({ extra: words }),
  args: z.object({ extra: z.array(z.string()).max(0, 'to resolve an item: drift resolve adopt|push <id>') }),
  async run(ctx) {
    const rows = await ctx.useCases.listDrift(
      { partner: ctx.actor.partner, label: ctx.actor.label },
      { status: 'open', offset: 0, max: 100 },
    );
    if (!rows.length) return { markdown: 'No drift: at the last `sync` the desk and Webex agreed.' };
    const shown = rows.slice(0, CARD_ITEMS);
    const more =
      rows.length > CARD_ITEMS
        ? `\n…and ${rows.length > 100 ? `over ${100 - CARD_ITEMS}` : rows.length - CARD_ITEMS} more (all of them: GET /v1/upstream/drift).`
        : '';
    return {
      markdown:
        `**Drift** (${rows.length > 100 ? '100+' : rows.length} open)\n${shown.map((r) => `- \`${r.id.slice(0, 8)}\` ${escapeMarkdown(describeDriftItem(r))}`).join('\n')}${more}\n\n` +
        'Resolve with the buttons, or `drift resolve adopt <id>` (the desk takes Webex’s state) / `drift resolve push <id>` (Webex gets the desk’s).',
      card: driftCard(shown),
    };
  },
});

const resolveArgs = z.object({
  action: z.enum(['adopt', 'push'], { error: 'say adopt (take Webex’s state) or push (send the desk’s)' }),
  id: z.string().trim().min(8, 'give the drift item’s id (the first 8 characters are enough)'),
});

export const driftResolveCommand = defineCommand({
  name: 'drift resolve',
  summary: 'Resolve a drift item: adopt Webex’s state, or push the desk’s to Webex',
  usage: 'drift resolve adopt|push <id>',
  examples: ['drift resolve adopt 3f2a9c1e', 'drift resolve push 3f2a9c1e'],
  role: 'admin',
  scopes: ['wholesale-desk:admin'],
  read: (words) => ({ action: words[0]?.toLowerCase(), id: words[1] ?? '' }),
  args: resolveArgs,
  form: {
    title: 'Resolve a drift item',
    fields: async () => [
      {
        id: 'action',
        label: 'Action',
        required: true,
        choices: [
          { title: "Adopt Webex's state", value: 'adopt' },
          { title: "Push the desk's state", value: 'push' },
        ],
      },
      { id: 'id', label: 'Drift item id', required: true },
    ],
    toInputs: (raw) => {
      const r = (raw ?? {}) as { action?: string; id?: string };
      return { action: r.action ?? '', id: r.id ?? '' };
    },
    fromInputs: (inputs) => ({ action: inputs.action, id: inputs.id ?? '' }),
  },
  async run(ctx, args) {
    const actor = { partner: ctx.actor.partner, label: ctx.actor.label };
    const found = await ctx.useCases.findOpenDriftId(actor.partner.id, args.id);
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const r = await ctx.useCases.resolveDriftItem(ctx.upstream, actor, found.value, args.action, ctx.deps);
    if (!r.ok) return { markdown: problemsReply(r.problems) };
    return {
      markdown:
        args.action === 'adopt'
          ? `Adopted Webex’s state: ${escapeMarkdown(describeDriftItem(r.value))}.`
          : `Pushing the desk’s state to Webex: ${escapeMarkdown(describeDriftItem(r.value))}. The next \`sync\` confirms it.`,
    };
  },
});
