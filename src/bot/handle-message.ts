import type { Logger } from '../logger.js';
import { hasRole, missingScopes, type BotCommand, type BotContext, type BotReply } from './bot-command.js';
import { closest } from './did-you-mean.js';
import { COMMANDS } from './registry.js';
import { escapeMarkdown, problemsReply } from './replies.js';
import { tokenize } from './tokenize.js';
import { storeProposal, takeProposal } from './proposals.js';
import { buildConfirmCard, buildFormCard, CARD_ANSWER_KEY, CARD_COMMAND_KEY } from './cards.js';

const MAX_MESSAGE_CHARS = 4_000;
/** Arguments larger than this (an imported file's rows) are summarised in the audit log, not copied. */
const MAX_AUDIT_ARGS_BYTES = 8_192;

const auditArgs = (args: unknown): unknown => {
  const json = JSON.stringify(args ?? null);
  return json.length <= MAX_AUDIT_ARGS_BYTES
    ? (args ?? null)
    : { omitted: `${json.length} bytes of arguments`, keys: args && typeof args === 'object' ? Object.keys(args) : [] };
};
// PostgreSQL cannot store NUL in text or jsonb; other control characters have no place in a command.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** The command whose words start the message, longest name first ("billing report" before "billing"). */
function matchCommand(tokens: readonly string[], commands: readonly BotCommand[]): { command: BotCommand; rest: string[] } | undefined {
  const lower = tokens.map((t) => t.toLowerCase());
  let best: { command: BotCommand; rest: string[]; words: number } | undefined;
  for (const command of commands) {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const words = name.split(' ');
      if (words.every((w, i) => lower[i] === w) && (!best || words.length > best.words))
        best = { command, rest: tokens.slice(words.length), words: words.length };
    }
  }
  return best && { command: best.command, rest: best.rest };
}

/**
 * The transport-independent pipeline: parse → find the command → check the role → read and validate
 * the arguments → run → reply. Every outcome is a reply (never an exception), and every command that
 * ran or was refused is in the audit log with the actor, the space and the result.
 */
export async function handleMessage(
  ctx: BotContext,
  text: string,
  log: Logger,
  commands: readonly BotCommand[] = COMMANDS,
): Promise<BotReply> {
  if (text.length > MAX_MESSAGE_CHARS)
    return { markdown: `That message is too long (${text.length} characters); commands fit in ${MAX_MESSAGE_CHARS}.` };
  text = text.replace(CONTROL_CHARACTERS, '');
  const tokens = tokenize(text.trim());
  if (tokens.length === 0) return { markdown: 'Type `help` to see what I can do.' };
  const answer = /^(yes|y|confirm)$/i.test(text.trim()) ? 'confirmed' : /^(no|n|cancel)$/i.test(text.trim()) ? 'cancelled' : undefined;
  if (answer) return answerProposal(ctx, answer, log, commands);
  const matched = matchCommand(tokens, commands);
  if (!matched) {
    const names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    const guess = closest(tokens.slice(0, 2).join(' '), names) ?? closest(tokens[0] ?? '', names);
    return {
      markdown: `I don't know "${escapeMarkdown(tokens.slice(0, 3).join(' '))}".${guess ? ` Did you mean \`${guess}\`?` : ''} Type \`help\` for the list.`,
    };
  }
  const { command, rest } = matched;
  let raw: unknown;
  try {
    raw = command.read(rest, ctx);
  } catch {
    raw = undefined;
  }
  return dispatch(ctx, command, raw, text, log);
}

/**
 * A pressed card button: a form submission runs its command with the form's values, through the
 * same role check, validation and confirmation as typed text; Yes/No answers a proposal.
 */
export async function handleCardSubmission(
  ctx: BotContext,
  inputs: Record<string, unknown>,
  log: Logger,
  commands: readonly BotCommand[] = COMMANDS,
): Promise<BotReply> {
  const answer = inputs[CARD_ANSWER_KEY];
  if (answer === 'yes' || answer === 'no') return answerProposal(ctx, answer === 'yes' ? 'confirmed' : 'cancelled', log, commands);
  const name = inputs[CARD_COMMAND_KEY];
  const command = commands.find((c) => c.name === name);
  if (!command?.form) return { markdown: 'That form is not one I know any more; type the command again.' };
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (key !== CARD_COMMAND_KEY && typeof value === 'string')
      values[key] = value.replace(CONTROL_CHARACTERS, '').slice(0, MAX_MESSAGE_CHARS);
  }
  return dispatch(ctx, command, command.form.fromInputs(values), `[form] ${command.name}`, log);
}

async function dispatch(ctx: BotContext, command: BotCommand, raw: unknown, text: string, log: Logger): Promise<BotReply> {
  const audit = (result: string, args: unknown) => auditCommand(ctx, command, { text, args, result });

  if (!hasRole(ctx.actor.role, command.role)) {
    await audit('refused: role', null);
    return {
      markdown: `Sorry, \`${command.name}\` needs the ${command.role} role; you are ${ctx.actor.role === 'viewer' ? 'a viewer' : `an ${ctx.actor.role}`}. Ask an admin if you need it.`,
    };
  }
  const lacking = missingScopes(ctx.actor, command.scopes);
  if (lacking.length) {
    await audit('refused: scope', null);
    return { markdown: scopeRefusal(command, lacking) };
  }
  const parsed = command.args.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
    await audit('invalid arguments', raw);
    if (command.form) {
      const fields = await command.form.fields(ctx);
      const placed = parsed.error.issues.map((i) => ({
        field: typeof i.path[0] === 'string' ? i.path[0] : undefined,
        message: i.path.length > 1 ? `${i.path.slice(1).join('.')}: ${i.message}` : i.message,
      }));
      const card = buildFormCard(command.name, command.form.title, fields, command.form.toInputs(raw), placed);
      return {
        markdown: `A few details are missing for \`${command.name}\`; fill in the form, or type them:\n${problems.map((p) => `- ${escapeMarkdown(p)}`).join('\n')}\nUsage: \`${command.usage}\``,
        card,
      };
    }
    return { markdown: `That doesn't fit \`${command.name}\`:\n${problems.map((p) => `- ${p}`).join('\n')}\nUsage: \`${command.usage}\`` };
  }
  if (!command.propose) return execute(ctx, command, parsed.data, text, log);
  try {
    const proposed = await command.propose(ctx, parsed.data);
    if (!proposed.ok) return { markdown: problemsReply(proposed.problems) };
    await storeProposal(ctx, command.name, parsed.data as Record<string, unknown>);
    await audit('proposed', parsed.data);
    return {
      markdown: `${proposed.value}\nReply **yes** within 10 minutes to go ahead, or **no**.`,
      card: buildConfirmCard(`Go ahead with ${command.name}?`),
    };
  } catch (error) {
    log.error({ err: error, command: command.name, space: ctx.spaceId }, 'bot proposal failed');
    return {
      markdown: `Something went wrong preparing \`${command.name}\`; it has been logged. Try again, or ask an admin to check the logs.`,
    };
  }
}

/** "yes" runs the pending proposal of this person in this space (once); "no" drops it. */
async function answerProposal(
  ctx: BotContext,
  answer: 'confirmed' | 'cancelled',
  log: Logger,
  commands: readonly BotCommand[],
): Promise<BotReply> {
  const pending = await takeProposal(ctx, answer);
  if (!pending) return { markdown: 'Nothing is waiting for your confirmation here (proposals expire after 10 minutes).' };
  const command = commands.find((c) => c.name === pending.command);
  const parsed = command?.args.safeParse(pending.args);
  if (!command || !parsed?.success) return { markdown: 'That proposal can no longer be run; send the command again.' };
  if (answer === 'cancelled') {
    await auditCommand(ctx, command, { args: pending.args, result: 'cancelled' });
    return { markdown: `Cancelled: nothing was changed.` };
  }
  if (!hasRole(ctx.actor.role, command.role)) return { markdown: `Sorry, \`${command.name}\` needs the ${command.role} role.` };
  const lacking = missingScopes(ctx.actor, command.scopes);
  if (lacking.length) return { markdown: scopeRefusal(command, lacking) };
  return execute(ctx, command, parsed.data, `yes (${command.name})`, log);
}

async function execute(ctx: BotContext, command: BotCommand, args: unknown, text: string, log: Logger): Promise<BotReply> {
  const audit = (result: string) => auditCommand(ctx, command, { text, args, result });
  try {
    const reply = await command.run(ctx, args);
    await audit('ok');
    return reply;
  } catch (error) {
    log.error({ err: error, command: command.name, space: ctx.spaceId }, 'bot command failed');
    await audit('error').catch(() => undefined);
    return {
      markdown: `Something went wrong running \`${command.name}\`; it has been logged. Try again, or ask an admin to check the logs.`,
    };
  }
}

/** The same rule as the API: the token lacks a scope the command's API call needs. */
function scopeRefusal(command: BotCommand, lacking: readonly string[]): string {
  return `Sorry, \`${command.name}\` needs the scope${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}, which your token lacks (the same as the API call). Ask an admin for a token that holds ${lacking.length > 1 ? 'them' : 'it'}.`;
}

/** One audit record per chat command and outcome (who, where, what was typed, with what arguments). */
function auditCommand(ctx: BotContext, command: BotCommand, e: { text?: string; args: unknown; result: string }) {
  return ctx.useCases.recordAudit({
    at: ctx.deps.now,
    partnerId: ctx.actor.partner.id,
    actor: ctx.actor.label,
    action: 'bot.command',
    entityType: 'bot_command',
    entityId: command.name,
    context: { space: ctx.spaceId, ...(e.text === undefined ? {} : { text: e.text }), args: auditArgs(e.args), result: e.result },
  });
}
