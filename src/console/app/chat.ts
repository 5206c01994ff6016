// The chat: the same commands as on Webex, Adaptive Cards rendered in the page (Microsoft's renderer,
// loaded as a classic script before this module), files to download, and the digests of the inbox.
import type * as AC from 'adaptivecards';
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { ConsoleChatMessage, consoleInboxSchema, consoleRepliesSchema } from '../../contracts/console-session.js';
import { errorText } from './api.js';
import { useApiClient } from './context.js';
import { renderMarkdown } from './markdown.js';

/** The renderer's one global, from /console/adaptivecards.js. */
declare const AdaptiveCards: typeof AC;

const CARD = 'application/vnd.microsoft.card.adaptive';
const INBOX_EVERY_MS = 10_000;

// Cards' text is markdown too: rendered by the same escaping renderer (the card library warns without
// one). The library takes it as a static hook; set whenever a card renders (the same function each time).
function hookCardMarkdown() {
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderMarkdown(text).replace(/<br>$/, '');
    result.didProcess = true;
  };
}

// Icons are inline SVG: an emoji (📎, ⬇) is a box on a machine without an emoji font.
const ICONS = {
  attach:
    'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z',
  download: 'M11 3h2v10.2l3.6-3.6L18 11l-6 6-6-6 1.4-1.4 3.6 3.6zM5 19h14v2H5z',
};
const Icon = ({ name }: { name: keyof typeof ICONS }) =>
  html`<svg viewBox="0 0 24 24" class="icon" aria-hidden="true"><path d=${ICONS[name]} fill="currentColor" /></svg>`;

type CardContent = Record<string, unknown>;
const formCommandOf = (content: CardContent): string | undefined =>
  ((content.actions as { data?: { _command?: string } }[] | undefined) ?? []).map((x) => x.data?._command).find(Boolean);

interface Message {
  id: number;
  kind: 'me' | 'bot' | 'bot digest';
  markdown: string;
  attached?: string | undefined;
  cards: { content: CardContent; command: string; renders: number }[];
  files: NonNullable<ConsoleChatMessage['files']>;
}

const toMessage = (id: number, kind: Message['kind'], m: ConsoleChatMessage, attached?: string): Message => ({
  id,
  kind,
  markdown: m.markdown,
  attached,
  cards: (m.attachments ?? [])
    .filter((a) => a.contentType === CARD)
    .map((a) => ({ content: a.content, command: formCommandOf(a.content) ?? '', renders: 0 })),
  files: m.files ?? [],
});

/** One card, rendered by the library into its holder; a form sent back with problems replaces it (renders > 0 focuses it). */
function Card({ content, command, renders, onSubmit }: Message['cards'][number] & { onSubmit: (data: unknown, title: string) => void }) {
  const holder = useRef<HTMLDivElement>(null);
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  useEffect(() => {
    hookCardMarkdown();
    const card = new AdaptiveCards.AdaptiveCard();
    card.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.SubmitAction) submit.current(action.data, action.title || 'Submit');
    };
    card.parse(content);
    const rendered = card.render();
    if (rendered && holder.current) holder.current.replaceChildren(rendered);
    if (renders > 0) holder.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [content, renders]);
  return html`<div class="card-holder" data-command=${command} ref=${holder}></div>`;
}

function FileLink({ file }: { file: Message['files'][number] }) {
  const [url, setUrl] = useState('');
  useEffect(() => {
    const bytes = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
    const made = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file]);
  if (!url) return null;
  return html`${file.contentType.startsWith('image/') ? html`<img src=${url} alt=${file.name} style="max-width: 100%" />` : null}<a class="file-link" href=${url} download=${file.name}><${Icon} name="download" /> ${file.name}</a>`;
}

function MessageView({
  message,
  onCardSubmit,
}: {
  message: Message;
  onCardSubmit: (m: Message, card: number, data: unknown, title: string) => void;
}) {
  if (message.kind === 'me')
    return html`<div class="msg me">${message.markdown}${
      message.attached
        ? html` <span class="attached"><${Icon} name="attach" /><span class="visually-hidden">attached: </span>${message.attached}</span>`
        : null
    }</div>`;
  // A file's own message says only its name: the download link below names it already.
  const text = message.files.length && /^📎 /.test(message.markdown) ? '' : renderMarkdown(message.markdown);
  return html`<div class="msg ${message.kind}">
    ${text ? html`<div class="md" dangerouslySetInnerHTML=${{ __html: text }}></div>` : null}
    ${message.cards.map(
      (c, i) => html`<${Card} key=${i} ...${c} onSubmit=${(data: unknown, title: string) => onCardSubmit(message, i, data, title)} />`,
    )}
    ${message.files.map((f) => html`<${FileLink} file=${f} />`)}
  </div>`;
}

type Replies = z.infer<typeof consoleRepliesSchema>;
type Inbox = z.infer<typeof consoleInboxSchema>;

/** The chat panel; `onChanged` after every command (the dashboard loads again). */
export function Chat({ open, onClose, onChanged }: { open: boolean; onClose: () => void; onChanged: () => void }) {
  const api = useApiClient();
  const lastId = useRef(0);
  const newMessage = (kind: Message['kind'], m: ConsoleChatMessage, attached?: string) => toMessage(++lastId.current, kind, m, attached);
  const [messages, setMessages] = useState<Message[]>(() => [
    newMessage('bot', { markdown: 'Signed in. Type `help` to see what I can do.' }),
  ]);
  const [text, setText] = useState('');
  const list = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const add = (...more: Message[]) => setMessages((all) => [...all, ...more]);

  // Newest at the bottom, in view.
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages]);

  // Digests for the console arrive in its inbox: asked now and every ten seconds.
  useEffect(() => {
    let after = 0;
    let stopped = false;
    const poll = async () => {
      try {
        const res = await api.json<Inbox>('GET', `/v1/console/inbox?after=${after}`, { lifetime: 'desk' });
        if (stopped) return;
        for (const m of res.items) after = Math.max(after, m.id);
        if (res.items.length) add(...res.items.map((m) => newMessage('bot digest', m.message)));
      } catch {
        // The next poll tries again.
      }
    };
    void poll();
    const timer = setInterval(poll, INBOX_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  async function send(body: unknown, shown: string, attached?: string, fromCard?: { message: Message; index: number }) {
    add(newMessage('me', { markdown: shown }, attached));
    try {
      const res = await api.json<Replies>('POST', '/v1/console/messages', { json: body, lifetime: 'desk' });
      for (const r of res.replies) {
        // The same form back with its problems: shown in place of the one submitted, the reply only lists them.
        const command = fromCard?.message.cards[fromCard.index]?.command;
        const form = fromCard && command ? (r.attachments ?? []).find((a) => formCommandOf(a.content) === command) : undefined;
        if (fromCard && form) {
          const { message, index } = fromCard;
          setMessages((all) =>
            all.map((m) =>
              m.id === message.id
                ? { ...m, cards: m.cards.map((c, i) => (i === index ? { ...c, content: form.content, renders: c.renders + 1 } : c)) }
                : m,
            ),
          );
          add(newMessage('bot', { markdown: r.markdown.split('\nUsage:')[0] ?? '' }));
        } else add(newMessage('bot', r));
      }
    } catch (error) {
      const words = errorText(error);
      if (words) add(newMessage('bot', { markdown: `Error: ${words}` }));
    }
    onChanged();
  }

  async function submit(event: Event) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!text.trim()) return;
    const typed = text;
    setText('');
    const files = file ? [{ name: file.name, content: await file.text() }] : undefined;
    if (fileInput.current) fileInput.current.value = '';
    await send(files ? { text: typed, files } : { text: typed }, typed, file?.name);
  }

  return html`<section class="panel chat" id="chat-panel" aria-labelledby="chat-title" hidden=${!open}>
    <div class="chat-head">
      <h2 id="chat-title">Chat</h2>
      <button type="button" id="chat-close" class="chat-close" onClick=${onClose}>Close<span class="visually-hidden"> the chat</span></button>
    </div>
    <div id="messages" aria-live="polite" ref=${list}>
      ${messages.map(
        (m) =>
          html`<${MessageView} key=${m.id} message=${m} onCardSubmit=${(msg: Message, index: number, data: unknown, title: string) => send({ cardInputs: data }, `[${title}]`, undefined, { message: msg, index })} />`,
      )}
    </div>
    <form id="chat-form" onSubmit=${submit}>
      <input id="text" autocomplete="off" placeholder="Type a command, e.g. help" aria-label="Command" value=${text} onInput=${(e: Event) => setText((e.currentTarget as HTMLInputElement).value)} />
      <label class="attach" for="file">CSV file</label>
      <input id="file" type="file" accept=".csv,text/csv" ref=${fileInput} />
      <button type="submit">Send</button>
    </form>
  </section>`;
}
