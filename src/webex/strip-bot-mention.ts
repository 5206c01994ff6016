/** Strips the bot's own mention from a group message ("Desk status acme" → "status acme"). */
export function stripBotMention(text: string, html: string | undefined, botId: string, botName: string | undefined): string {
  const fromHtml = html
    ? new RegExp(`<spark-mention[^>]*data-object-id="${botId.replace(/[^\w-]/g, '')}"[^>]*>([^<]*)</spark-mention>`).exec(html)?.[1]
    : undefined;
  for (const name of [fromHtml, botName, botName?.split(' ')[0]]) {
    if (name && text.toLowerCase().startsWith(name.toLowerCase())) return text.slice(name.length).trim();
  }
  return text.trim();
}
