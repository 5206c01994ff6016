import type { AdaptiveCard, FormField } from './bot-command.js';

const CARD_BASE = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3' } as const;

/** Submissions carry the command they belong to, so they go through the same pipeline as text. */
export const CARD_COMMAND_KEY = '_command';
export const CARD_ANSWER_KEY = '_answer';

/** A problem to show in a form: under the input it names (`field` = the input's id), else above the inputs. */
export interface FormProblem {
  field?: string;
  message: string;
}

/**
 * The form for a command's arguments, prefilled with what was typed, each problem under the input it
 * is about. Values are plain strings: Adaptive Cards render text as given, so nothing needs markdown
 * escaping here. A required input says so through `isRequired` only: the renderer (Webex's and the
 * console's) adds its own marker to the label, so a "*" of ours would show twice ("Customer name * *").
 */
export function buildFormCard(
  command: string,
  title: string,
  fields: readonly FormField[],
  values: Record<string, string>,
  problems: readonly (FormProblem | string)[],
): AdaptiveCard {
  const all = problems.map((p) => (typeof p === 'string' ? { message: p } : p));
  const ids = new Set(fields.map((f) => f.id));
  const general = all.filter((p) => !p.field || !ids.has(p.field)).map((p) => p.message);
  const body: Record<string, unknown>[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (general.length) body.push({ type: 'TextBlock', text: general.join('\n'), color: 'Attention', wrap: true });
  for (const f of fields) {
    const value = values[f.id] ?? '';
    const common = {
      id: f.id,
      label: f.label,
      isRequired: Boolean(f.required),
      ...(f.required ? { errorMessage: `${f.label} is required` } : {}),
      value,
    };
    if (f.choices) {
      body.push({
        type: 'Input.ChoiceSet',
        ...common,
        isMultiSelect: Boolean(f.multiple),
        style: f.multiple ? 'expanded' : 'compact',
        choices: f.choices.map((c) => ({ title: c.title, value: c.value })),
      });
    } else {
      body.push({ type: 'Input.Text', ...common, placeholder: f.placeholder ?? '' });
    }
    const own = all.filter((p) => p.field === f.id).map((p) => p.message);
    if (own.length) body.push({ type: 'TextBlock', text: own.join('\n'), color: 'Attention', wrap: true, spacing: 'None', size: 'Small' });
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
