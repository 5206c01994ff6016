import type { Hono } from 'hono';
import type { BotReply } from '../bot/bot-command.js';
import { toOutgoingMessages } from '../bot/outgoing.js';
import { type Config, invoiceSeller } from '../config.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createBotFrameworkAdapter } from './bot-framework-adapter.js';
import { createWebexEventProcessor } from './webex-event-processor.js';
import { createSendQueue } from './send-queue.js';
import { createWebexClient } from './webex-client.js';
import { createWebexEventRoutes, type WebexRouteEnv } from './webex-event-routes.js';
import { WEBEX_EVENTS_PATH } from './webex-events-path.js';
import { createWebexReceiver } from './webex-receiver.js';

/** `E`: the environment of the app that mounts the routes (it provides at least the request id and logger). */
export interface WebexTransport<E extends WebexRouteEnv = WebexRouteEnv> {
  /** POST /webex/events (webhook mode only). */
  routes: Hono<E> | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts a reply into a space on the bot's own initiative (digests). */
  post(spaceId: string, reply: BotReply): Promise<void>;
}

interface TransportDeps {
  config: Config;
  useCases: UseCases;
  log: Logger;
  clock: Clock;
  ids: IdSource;
  upstream?: WebexWholesalePort | undefined;
}

/**
 * Webex through webex-node-bot-framework (bot-framework-adapter.ts), put together. Webhook mode: the
 * receiver verifies X-Spark-Signature over the raw bytes, stores the event and acknowledges; the
 * processor hands stored events to the framework and runs the commands it emits. Websocket mode:
 * the framework's own socket, no receiver. Replies leave through the per-space send queue.
 */
export function createWebexTransport<E extends WebexRouteEnv = WebexRouteEnv>(deps: TransportDeps): WebexTransport<E> {
  const { config, useCases, log, clock, ids } = deps;
  const token = config.WEBEX_BOT_TOKEN;
  if (!token || config.WEBEX_MODE === 'off') throw new Error('createWebexTransport needs WEBEX_BOT_TOKEN');
  const secret = config.WEBEX_WEBHOOK_SECRET;
  const webhookMode = config.WEBEX_MODE === 'webhook';
  const bot = createBotFrameworkAdapter({
    token,
    log,
    webhook: webhookMode ? { url: `${config.PUBLIC_URL}${WEBEX_EVENTS_PATH}`, secret } : undefined,
  });
  const client = createWebexClient({ baseUrl: config.HYDRA_SERVICE_URL, token });
  const queue = createSendQueue(client, log);
  const processor = createWebexEventProcessor({
    bot,
    useCases,
    client,
    sends: queue,
    log,
    clock,
    ids,
    upstream: deps.upstream,
    invoicing: { seller: invoiceSeller(config), numberPrefix: config.INVOICE_NUMBER_PREFIX },
  });

  const routes = webhookMode
    ? createWebexEventRoutes<E>(
        createWebexReceiver({
          secret: secret ?? '',
          store: (event, own) => useCases.recordWebexEvent({ key: event.key, payload: event.body, own }, clock.now()),
          botPersonId: () => bot.person?.id,
          process: (event) => processor.process(event),
        }),
      )
    : undefined;

  return {
    routes,
    async start() {
      await bot.start();
      log.info({ mode: config.WEBEX_MODE, bot: bot.email }, 'webex bot started');
      if (webhookMode) await processor.startSweeper();
    },
    async stop() {
      await processor.stop();
      await queue.idle();
      // In webhook mode the webhook stays: other instances behind the same URL still use it.
      if (!webhookMode && bot.active) await bot.stop();
    },
    async post(spaceId, reply) {
      const failed = await queue.send(spaceId, toOutgoingMessages(reply));
      if (failed) throw new Error(`${failed} of the messages to space ${spaceId} could not be delivered to Webex`);
    },
  };
}
