import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import Framework, { type Bot, type Trigger } from 'webex-node-bot-framework';
import createWebhookHandler from 'webex-node-bot-framework/webhook.js';
import { z } from 'zod';
import type { AppEnv } from '../api/app-env.js';
import { respondError } from '../api/problem-responses.js';
import type { BotContext, BotReply, IncomingFile } from '../bot/bot-command.js';
import { handleCardSubmission, handleMessage } from '../bot/handle-message.js';
import { toOutgoingMessages } from '../bot/outgoing.js';
import { resolveChatActor } from '../bot/resolve-chat-actor.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';
import { readRawBody } from '../webhooks/read-raw-body.js';
import { signatureFailure, verifyWebexRequest } from '../webhooks/verify-signature.js';
import { createWebexClient, type WebexClient } from './webex-client.js';
import { createKeyedQueue } from './keyed-queue.js';
import { createSendQueue, type SendQueue } from './send-queue.js';
import { WEBEX_EVENTS_PATH } from './webex-events-path.js';

const MAX_WEBEX_EVENT_BYTES = 1_000_000;
/** Stored events older than this are not handed over again: the moment has passed. */
const RECOVERY_WINDOW_MS = 60 * 60_000;
/** An event no handler claimed this long after it was handed over is handed over again… */
const SWEEP_AFTER_MS = 5_000;
/** …at most this many times in all (the framework drops a message that arrives while it is still joining that space). */
const MAX_HANDOVERS = 3;

const webexEnvelopeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    resource: z.string(),
    event: z.string(),
    data: z.object({ id: z.string() }).loose(),
  })
  .loose();

export interface WebexTransport {
  /** POST /webex/events (webhook mode only). */
  routes: Hono<AppEnv> | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts a reply into a space on the bot's own initiative (digests). */
  post(spaceId: string, reply: BotReply): Promise<void>;
}

interface TransportDeps {
  config: Config;
  db: Kysely<Database>;
  log: Logger;
  clock: Clock;
  ids: IdSource;
}

/** Strips the bot's own mention from a group message ("Desk status acme" → "status acme"). */
export function stripBotMention(text: string, html: string | undefined, botId: string, botName: string | undefined): string {
  const fromHtml = html ? new RegExp(`<spark-mention[^>]*data-object-id="${botId.replace(/[^\w-]/g, '')}"[^>]*>([^<]*)</spark-mention>`).exec(html)?.[1] : undefined;
  for (const name of [fromHtml, botName, botName?.split(' ')[0]]) {
    if (name && text.toLowerCase().startsWith(name.toLowerCase())) return text.slice(name.length).trim();
  }
  return text.trim();
}

/**
 * Webex through webex-node-bot-framework 2.3.14. Webhook mode: Hono verifies X-Spark-Signature over
 * the raw bytes in constant time, stores the event, acknowledges, then hands it to the framework
 * (re-signed over the framework's own re-serialisation, which its check compares against). The
 * framework only removes webhooks it named for this host, never other instances'. Websocket mode:
 * the framework's Mercury socket, no public URL. Replies leave through the per-space send queue.
 */
export function createWebexTransport(deps: TransportDeps): WebexTransport {
  const { config, db, log, clock, ids } = deps;
  const token = config.WEBEX_BOT_TOKEN;
  if (!token || config.WEBEX_MODE === 'off') throw new Error('createWebexTransport needs WEBEX_BOT_TOKEN');
  const secret = config.WEBEX_WEBHOOK_SECRET;
  const webhookMode = config.WEBEX_MODE === 'webhook';
  const framework = new Framework({
    token,
    messageFormat: 'markdown',
    removeWebhooksOnStart: false,
    ...(webhookMode ? { webhookUrl: `${config.PUBLIC_URL}${WEBEX_EVENTS_PATH}`, webhookSecret: secret } : {}),
  });
  const client: WebexClient = createWebexClient({ baseUrl: config.HYDRA_SERVICE_URL, token });
  const queue: SendQueue = createSendQueue(client, log);
  // Commands in one space run in the order they arrived, so their replies come in that order too.
  const handovers = createKeyedQueue();
  const commands = createKeyedQueue();
  const feed = createWebhookHandler(framework);
  const frameworkLog = log.child({ component: 'webex-framework' });
  framework.on('log', (message) => frameworkLog.debug(message));

  /** Hands a stored event to the framework, signed the way its own check recomputes. */
  // One space's events are handed over one at a time: the framework then emits them in arrival order.
  const handOver = (body: Record<string, unknown>) =>
    handovers.run(String((body.data as { roomId?: unknown } | undefined)?.roomId ?? ''), () =>
      feed({ body, headers: { 'x-spark-signature': createHmac('sha1', secret ?? '').update(JSON.stringify(body)).digest('hex') } }),
    );

  /**
   * The first handler to claim an event runs it; a redelivery, or a replay after a restart of an
   * event already handled, finds it done. Websocket events have no stored row: the claim adds one.
   */
  async function claim(key: string, payload: Record<string, unknown>): Promise<boolean> {
    const now = clock.now();
    const row = await db
      .insertInto('webex_inbox')
      .values({ key, payload: JSON.stringify(payload), status: 'done', received_at: now, done_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ status: 'done', done_at: now }).where('webex_inbox.status', '=', 'received'))
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async function contextFor(bot: Bot, personEmail: string | undefined, files?: IncomingFile[]): Promise<BotContext | undefined> {
    const spaceId = bot.room.id;
    const resolved = await resolveChatActor(db, { email: personEmail ?? '', spaceId, title: bot.room.title ?? null, now: clock.now() });
    if (!resolved.ok) {
      await queue.send(spaceId, [{ markdown: resolved.refusal }]);
      return undefined;
    }
    const started = performance.now();
    return {
      db,
      actor: resolved.actor,
      spaceId,
      deps: { now: clock.now(), uuid: ids.uuid },
      files,
      progress: async (markdown) => void (await queue.send(spaceId, [{ markdown }])),
      elapsedMs: () => performance.now() - started,
    };
  }

  async function onMessage(bot: Bot, trigger: Trigger): Promise<void> {
    const message = trigger.message;
    if (!message) return;
    if (!(await claim(`messages:created:${message.id}`, { id: message.id, roomId: message.roomId }))) return;
    const direct = (message.roomType ?? bot.room.type) === 'direct';
    const mentioned = message.mentionedPeople?.includes(framework.person.id) ?? false;
    if (!direct && !mentioned) return;
    const text = direct ? (message.text ?? '').trim() : stripBotMention(message.text ?? '', message.html, framework.person.id, framework.person.displayName);
    const files: IncomingFile[] = [];
    for (const url of (message.files ?? []).slice(0, 1)) {
      try {
        files.push(await client.downloadFile(url));
      } catch (error) {
        log.warn({ err: error, space: bot.room.id }, 'attached file not read');
        await queue.send(bot.room.id, [{ markdown: `I could not read the attached file: ${(error as Error).message}` }]);
        return;
      }
    }
    const ctx = await contextFor(bot, trigger.person?.emails?.[0] ?? message.personEmail, files);
    if (!ctx) return;
    const reply = await handleMessage(ctx, text, log.child({ space: bot.room.id, message: message.id }));
    await queue.send(bot.room.id, toOutgoingMessages(reply));
  }

  async function onCardSubmit(bot: Bot, trigger: Trigger): Promise<void> {
    const action = trigger.attachmentAction;
    if (!action) return;
    if (!(await claim(`attachmentActions:created:${action.id}`, { id: action.id, roomId: action.roomId }))) return;
    const ctx = await contextFor(bot, trigger.person?.emails?.[0]);
    if (!ctx) return;
    const reply = await handleCardSubmission(ctx, action.inputs ?? {}, log.child({ space: bot.room.id, action: action.id }));
    await queue.send(bot.room.id, toOutgoingMessages(reply));
  }

  const guard = (what: string, run: (bot: Bot, trigger: Trigger) => Promise<void>) => (bot: Bot, trigger: Trigger) =>
    void commands.run(bot.room?.id ?? '', () => run(bot, trigger)).catch((error) => log.error({ err: error, space: bot.room?.id }, `webex ${what} failed`));
  framework.on('message', guard('message', onMessage));
  framework.on('attachmentAction', guard('card submission', onCardSubmit));

  /**
   * Events stored and acknowledged but not claimed by a handler are handed over again: after a
   * restart, and when the framework dropped one (a second message in a space it is still joining).
   * A handler's claim makes the extra handovers harmless.
   */
  async function sweepStored(minAgeMs: number): Promise<void> {
    const now = clock.now();
    await db
      .updateTable('webex_inbox')
      .set({ status: 'done', done_at: now })
      .where('status', '=', 'received')
      .where((eb) => eb.or([eb('received_at', '<', new Date(now.getTime() - RECOVERY_WINDOW_MS)), eb('handovers', '>=', MAX_HANDOVERS)]))
      .execute();
    const pending = await db
      .updateTable('webex_inbox')
      .set((eb) => ({ handovers: eb('handovers', '+', 1) }))
      .where('status', '=', 'received')
      .where('received_at', '<', new Date(now.getTime() - minAgeMs))
      .returning(['key', 'payload'])
      .execute();
    for (const row of pending) await handOver(row.payload).catch((error) => log.error({ err: error, key: row.key }, 'stored webex event not handled'));
    if (pending.length) log.info({ events: pending.length }, 'stored webex events handed over again');
  }
  let sweeper: NodeJS.Timeout | undefined;

  let routes: Hono<AppEnv> | undefined;
  if (webhookMode) {
    routes = new Hono<AppEnv>();
    routes.post('/', async (c) => {
      const length = c.req.header('content-length');
      if (length !== undefined && Number(length) > MAX_WEBEX_EVENT_BYTES) return respondError(c, 413, `the event is larger than ${MAX_WEBEX_EVENT_BYTES} bytes`, 4130);
      const raw = await readRawBody(c, MAX_WEBEX_EVENT_BYTES);
      if (raw.byteLength > MAX_WEBEX_EVENT_BYTES) return respondError(c, 413, `the event is larger than ${MAX_WEBEX_EVENT_BYTES} bytes`, 4130);
      const check = verifyWebexRequest({ signature: c.req.header('x-spark-signature'), body: raw, secrets: [secret ?? ''] });
      if (!check.ok) {
        const reason = signatureFailure(check.problems);
        c.get('log').warn({ reason }, 'webex webhook refused');
        return respondError(c, 401, `X-Spark-Signature ${reason}: the webhook secret does not match WEBEX_WEBHOOK_SECRET`, 4012);
      }
      let body: Record<string, unknown>;
      try {
        const parsed = webexEnvelopeSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)));
        if (!parsed.success) return respondError(c, 400, 'not a Webex webhook envelope ({id, name, resource, event, data.id})', 4000);
        body = parsed.data;
      } catch {
        return respondError(c, 400, 'the body is not UTF-8 JSON', 4000);
      }
      const envelope = body as z.infer<typeof webexEnvelopeSchema>;
      const key = `${envelope.resource}:${envelope.event}:${envelope.data.id}`;
      // Webex also reports the bot's own messages; there is nothing to do for those.
      const own = envelope.data.personId !== undefined && envelope.data.personId === framework.person?.id;
      const stored = await db
        .insertInto('webex_inbox')
        .values({ key, payload: JSON.stringify(body), status: own ? 'done' : 'received', received_at: clock.now(), handovers: own ? 0 : 1 })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (stored && !own && framework.active) {
        void handOver(body)
          .then(async () => {
            // Only messages and card submissions are claimed by a handler; the rest is done once handed over.
            if (envelope.resource !== 'messages' && envelope.resource !== 'attachmentActions') await db.updateTable('webex_inbox').set({ status: 'done', done_at: clock.now() }).where('key', '=', key).execute();
          })
          .catch((error) => log.error({ err: error, key }, 'webex event not handled'));
      }
      return c.text('OK');
    });
  }

  return {
    routes,
    async start() {
      const initialized = new Promise<void>((resolve) => framework.once('initialized', () => resolve()));
      await framework.start();
      await initialized;
      log.info({ mode: config.WEBEX_MODE, bot: framework.email }, 'webex bot started');
      if (webhookMode) {
        await sweepStored(0);
        sweeper = setInterval(() => void sweepStored(SWEEP_AFTER_MS).catch((error) => log.warn({ err: error }, 'webex inbox sweep failed')), SWEEP_AFTER_MS);
        sweeper.unref();
      }
    },
    async stop() {
      clearInterval(sweeper);
      await handovers.idle();
      await commands.idle();
      await queue.idle();
      // In webhook mode the webhook stays: other instances behind the same URL still use it.
      if (!webhookMode && framework.active) await framework.stop();
    },
    async post(spaceId, reply) {
      const failed = await queue.send(spaceId, toOutgoingMessages(reply));
      if (failed) throw new Error(`${failed} of the messages to space ${spaceId} could not be delivered to Webex`);
    },
  };
}
