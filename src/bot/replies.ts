import type { Problem } from '../domain/problems.js';

/** Webex refuses text or markdown over 7,439 bytes. */
export const WEBEX_MESSAGE_LIMIT_BYTES = 7_439;

/** User data shown literally: markdown control characters escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!|>~-])/g, '\\$1');
}

/**
 * Splits a reply below the byte limit, at line breaks where possible, never inside a UTF-8
 * character; each part is a message of its own.
 */
export function splitMarkdown(markdown: string, limit = WEBEX_MESSAGE_LIMIT_BYTES): string[] {
  const encoder = new TextEncoder();
  const bytes = (s: string) => encoder.encode(s).byteLength;
  if (bytes(markdown) <= limit) return [markdown];
  const parts: string[] = [];
  let current = '';
  for (const line of markdown.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (bytes(candidate) <= limit) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    current = '';
    // A single line over the limit: cut by characters.
    let rest = line;
    while (bytes(rest) > limit) {
      let cut = Math.min(rest.length, limit);
      while (bytes(rest.slice(0, cut)) > limit) cut -= 1;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) parts.push(current);
  return parts;
}

/** Problems a chat command phrased for chat, as one answer: a message a line. */
export const problemsReply = (problems: readonly Problem[]): string => problems.map((p) => p.message).join('\n');

/** Why a customer named in chat was not found (unknown or ambiguous), and what to try instead. */
export const customerProblemReply = (p: Problem, hint: string): string =>
  p.code === 'customer_ambiguous' ? escapeMarkdown(p.message) : `${escapeMarkdown(p.message)} ${hint}`;

/** Why the bot will not act for this person in this space. */
export function chatActorRefusal(p: Problem, email: string): string {
  switch (p.code) {
    case 'staff_not_found':
      return `Hello! I only work with the partner's staff, and ${email} is not on the list. An admin can add you with \`npm run cli -- staff add ${email} --role viewer\`.`;
    case 'space_of_another_partner':
      return 'Sorry, this space belongs to another partner, so I cannot act for you here. Talk to me in a space of your own.';
    case 'sub_partner_suspended':
      return 'Sorry, your partner account is suspended.';
    default:
      return `Sorry, I cannot act for you here: ${escapeMarkdown(p.message)}`;
  }
}

/** Why a command cannot be done, one problem a line: "I cannot add **ann@…**:\n- …". */
export const cannotReply = (what: string, problems: readonly Problem[]): string =>
  `I cannot ${what}:\n${problems.map((p) => `- ${escapeMarkdown(p.message)}`).join('\n')}\nNothing was changed.`;
