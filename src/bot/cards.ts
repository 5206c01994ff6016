import type { AdaptiveCard, FormField } from './bot-command.js';

const CARD_BASE = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3' } as const;

/** Submissions carry the command they belong to, so they go through the same pipeline as text. */
export const CARD_COMMAND_KEY = '_command';
export const CARD_ANSWER_KEY = '_answer';

/**
 * The form for a command's arguments, prefilled with what was typed, listing what to fix. Values are
 * plain strings: Adaptive Cards render text as given, so nothing needs markdown escaping here.
 */
export function buildFormCard(
  command: string,
  title: string,
  fields: readonly FormField[],
  values: Record<string, string>,
  problems: readonly string[],
): AdaptiveCard {
  const body: Record<string, unknown>[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (problems.length) body.push({ type: 'TextBlock', text: problems.join('\n'), color: 'Attention', wrap: true });
  for (const f of fields) {
    const label = `${f.label}${f.required ? ' *' : ''}`;
    const value = values[f.id] ?? '';
    if (f.choices) {
      body.push({
        type: 'Input.ChoiceSet',
        id: f.id,
        label,
        isMultiSelect: Boolean(f.multiple),
        style: f.multiple ? 'expanded' : 'compact',
        value,
        choices: f.choices.map((c) => ({ title: c.title, value: c.value })),
      });
    } else {
      body.push({ type: 'Input.Text', id: f.id, label, placeholder: f.placeholder ?? '', value, isRequired: Boolean(f.required) });
    }
  }
  return { ...CARD_BASE, body, actions: [{ type: 'Action.Submit', title: 'Submit', data: { [CARD_COMMAND_KEY]: command } }] };
}

/** Yes/No buttons for a proposal; pressing one is the same as typing yes or no. */
export function buildConfirmCard(proposal: string): AdaptiveCard {
  return {
    ...CARD_BASE,
    body: [{ type: 'TextBlock', text: proposal, wrap: true }],
    actions: [
      { type: 'Action.Submit', title: 'Yes, go ahead', data: { [CARD_ANSWER_KEY]: 'yes' } },
      { type: 'Action.Submit', title: 'No', data: { [CARD_ANSWER_KEY]: 'no' } },
    ],
  };
}
