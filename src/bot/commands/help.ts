import { z } from 'zod';
import { defineCommand, hasRole, type BotCommand } from '../bot-command.js';

/** Built from the registry, so help never disagrees with what the bot understands. */
export function makeHelpCommand(all: () => readonly BotCommand[]) {
  return defineCommand({
    name: 'help',
    summary: 'What I can do, or how to use one command',
    usage: 'help [command]',
    examples: ['help', 'help billing report'],
    role: 'viewer',
    scopes: [],
    read: (words) => ({ topic: words.join(' ').toLowerCase() }),
    args: z.object({ topic: z.string() }),
    async run(ctx, args) {
      const visible = all().filter((c) => hasRole(ctx.actor.role, c.role));
      if (args.topic) {
        const c = all().find((x) => x.name === args.topic || x.aliases?.includes(args.topic));
        if (!c) return { markdown: `I have no command "${args.topic}". Type \`help\` for the list.` };
        return {
          markdown: `**${c.name}**: ${c.summary}\nUsage: \`${c.usage}\`\nExamples:\n${c.examples.map((e) => `- \`${e}\``).join('\n')}${hasRole(ctx.actor.role, c.role) ? '' : `\n\n(needs the ${c.role} role)`}`,
        };
      }
      return {
        markdown: `**Commands**\n${visible.map((c) => `- \`${c.usage}\`: ${c.summary}`).join('\n')}\n\nType \`help <command>\` for examples.`,
      };
    },
  });
}
