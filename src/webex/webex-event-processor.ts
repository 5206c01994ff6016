import type { BotContext, IncomingFile, InvoicingSettings } from '../bot/bot-command.js';
import { handleCardSubmission, handleMessage } from '../bot/handle-message.js';
import { toOutgoingMessages } from '../bot/outgoing.js';
import { chatActorRefusal } from '../bot/replies.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createKeyedQueue } from './keyed-queue.js';
import type { SendQueue } from './send-queue.js';
import { stripBotMention } from './strip-bot-mention.js';
import type { WebexEvent } from './verify-webex-event.js';
import type { CardSubmissionEvent, ChatMessageEvent, ChatSpace, WebexBot } from './webex-bot.js';
import type { WebexClient } from './webex-client.js';

/** Stored events older than this are not handed over again: the moment has passed. */
const RECOVERY_WINDOW_MS = 60 * 60_000;
/** An event no handler claimed this long after it was handed over is handed over again… */
const SWEEP_AFTER_MS = 5_000;
/** …at most this many times in all (the framework drops a message that arrives while it is still joining that space). */
const MAX_HANDOVERS = 3;

export interface WebexEventProcessor {
  /** Hands a newly stored event to the bot; returns at once. */
  process(event: WebexEvent): void;
  /** Hands over what was stored and not handled before this start, then keeps sweeping. */
  startSweeper(): Promise<void>;
  /** Stops sweeping and waits for the events and commands under way. */
  stop(): Promise<void>;
}

export interface WebexProcessorDeps {
  bot: WebexBot;
  useCases: UseCases;
  client: WebexClient;
  sends: SendQueue;
  log: Logger;
  clock: Clock;
  ids: IdSource;
  /** Webex Wholesale in upstream mode, for the commands that call it. */
  upstream?: WebexWholesalePort | undefined;
  /** Issued invoices' PDF seller and number prefix (configuration). */
  invoicing?: InvoicingSettings | undefined;
}

/**
 * The processing half of the Webex receiver: stored events go to the bot SDK, which emits messages
 * and card submissions; each is claimed in the inbox (so it runs once), checked against the staff
 * list and run by the bot's commands. Commands in one space run in the order they arrived, so their
 * replies come in that order too. Replies leave through the per-space send queue.
 */
export function createWebexEventProcessor(deps: WebexProcessorDeps): WebexEventProcessor {
  const { bot, useCases, client, log, clock, ids } = deps;
  const queue = deps.sends;
  const handovers = createKeyedQueue();
  const commands = createKeyedQueue();

  // One space's events are handed over one at a time: the framework then emits them in arrival order.
  const handOver = (body: Record<string, unknown>) =>
    handovers.run(String((body.data as { roomId?: unknown } | undefined)?.roomId ?? ''), () => bot.feed(body));

  const claim = (key: string, payload: Record<string, unknown>) => useCases.claimWebexEventForHandling({ key, payload }, clock.now());

  async function contextFor(space: ChatSpace, personEmail: string | undefined, files?: IncomingFile[]): Promise<BotContext | undefined> {
    const spaceId = space.id;
    const email = personEmail ?? '';
    const resolved = await useCases.identifyChatActor({ email, spaceId, title: space.title ?? null, now: clock.now() });
    if (!resolved.ok) {
      await queue.send(spaceId, [{ markdown: chatActorRefusal(resolved.problems[0]!, email.trim().toLowerCase()) }]);
      return undefined;
    }
    const started = performance.now();
    return {
      useCases,
      actor: resolved.value,
      spaceId,
      deps: { now: clock.now(), uuid: ids.uuid, viaWebex: Boolean(deps.upstream) },
      files,
      progress: async (markdown) => void (await queue.send(spaceId, [{ markdown }])),
      elapsedMs: () => performance.now() - started,
      upstream: deps.upstream,
      invoicing: deps.invoicing,
    };
  }

  async function onMessage({ space, senderEmail, message }: ChatMessageEvent): Promise<void> {
    if (!message) return;
    if (!(await claim(`messages:created:${message.id}`, { id: message.id, roomId: message.roomId }))) return;
    const me = bot.person;
    const direct = (message.roomType ?? space.type) === 'direct';
    const mentioned = (me && message.mentionedPeople?.includes(me.id)) ?? false;
    if (!direct && !mentioned) return;
    const text = direct ? (message.text ?? '').trim() : stripBotMention(message.text ?? '', message.html, me?.id ?? '', me?.displayName);
    const files: IncomingFile[] = [];
    for (const url of (message.files ?? []).slice(0, 1)) {
      try {
        files.push(await client.downloadFile(url));
      } catch (error) {
        log.warn({ err: error, space: space.id }, 'attached file not read');
        await queue.send(space.id, [{ markdown: `I could not read the attached file: ${(error as Error).message}` }]);
        return;
      }
    }
    const ctx = await contextFor(space, senderEmail ?? message.personEmail, files);
    if (!ctx) return;
    const reply = await handleMessage(ctx, text, log.child({ space: space.id, message: message.id }));
    await queue.send(space.id, toOutgoingMessages(reply));
  }

  async function onCardSubmit({ space, senderEmail, action }: CardSubmissionEvent): Promise<void> {
    if (!action) return;
    if (!(await claim(`attachmentActions:created:${action.id}`, { id: action.id, roomId: action.roomId }))) return;
    const ctx = await contextFor(space, senderEmail);
    if (!ctx) return;
    const reply = await handleCardSubmission(ctx, action.inputs ?? {}, log.child({ space: space.id, action: action.id }));
    await queue.send(space.id, toOutgoingMessages(reply));
  }

  const guard =
    <E extends { space: ChatSpace }>(what: string, run: (event: E) => Promise<void>) =>
    (event: E) =>
      void commands
        .run(event.space?.id ?? '', () => run(event))
        .catch((error) => log.error({ err: error, space: event.space?.id }, `webex ${what} failed`));
  bot.onMessage(guard('message', onMessage));
  bot.onCardSubmission(guard('card submission', onCardSubmit));

  /**
   * Events stored and acknowledged but not claimed by a handler are handed over again: after a
   * restart, and when the framework dropped one (a second message in a space it is still joining).
   * A handler's claim makes the extra handovers harmless.
   */
  async function sweepStored(minAgeMs: number): Promise<void> {
    const pending = await useCases.takeStoredWebexEvents({
      now: clock.now(),
      minAgeMs,
      recoveryWindowMs: RECOVERY_WINDOW_MS,
      maxHandovers: MAX_HANDOVERS,
    });
    for (const row of pending)
      await handOver(row.payload).catch((error) => log.error({ err: error, key: row.key }, 'stored webex event not handled'));
    if (pending.length) log.info({ events: pending.length }, 'stored webex events handed over again');
  }
  let sweeper: NodeJS.Timeout | undefined;

  return {
    process(event) {
      if (!bot.active) return;
      void handOver(event.body)
        .then(async () => {
          // Only messages and card submissions are claimed by a handler; the rest is done once handed over.
          if (event.resource !== 'messages' && event.resource !== 'attachmentActions')
            await useCases.finishWebexEvent(event.key, clock.now());
        })
        .catch((error) => log.error({ err: error, key: event.key }, 'webex event not handled'));
    },
    async startSweeper() {
      await sweepStored(0);
      sweeper = setInterval(
        () => void sweepStored(SWEEP_AFTER_MS).catch((error) => log.warn({ err: error }, 'webex inbox sweep failed')),
        SWEEP_AFTER_MS,
      );
      sweeper.unref();
    },
    async stop() {
      clearInterval(sweeper);
      await handovers.idle();
      await commands.idle();
    },
  };
}
