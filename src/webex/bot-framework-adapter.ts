import { createHmac } from 'node:crypto';
import Framework from 'webex-node-bot-framework';
import createWebhookHandler from 'webex-node-bot-framework/webhook.js';
import type { Logger } from '../logger.js';
import type { WebexBot } from './webex-bot.js';

export interface BotFrameworkOptions {
  token: string;
  /** Webhook mode: the SDK registers webhooks to `url` signed with `secret`. Websocket mode when absent. */
  webhook?: { url: string; secret: string | undefined } | undefined;
  log: Logger;
}

/**
 * The one file that touches webex-node-bot-framework 2.3.14. The framework only removes webhooks it
 * named for this host, never other instances'. Websocket mode: the framework's Mercury socket, no
 * public URL.
 */
export function createBotFrameworkAdapter(opts: BotFrameworkOptions): WebexBot {
  const framework = new Framework({
    token: opts.token,
    messageFormat: 'markdown',
    removeWebhooksOnStart: false,
    ...(opts.webhook ? { webhookUrl: opts.webhook.url, webhookSecret: opts.webhook.secret } : {}),
  });
  const handleWebhook = createWebhookHandler(framework);
  const frameworkLog = opts.log.child({ component: 'webex-framework' });
  framework.on('log', (message) => frameworkLog.debug(message));

  // Why re-sign: the desk verified X-Spark-Signature over the raw bytes before storing the event, but
  // the framework checks it again, over its own re-serialisation of the body, and has no way to skip
  // that check. A stored event (fresh, or recovered after a restart) only gets through if it is signed
  // the way the framework recomputes it. Nothing else uses this signature.
  const signForFramework = (body: Record<string, unknown>) =>
    createHmac('sha1', opts.webhook?.secret ?? '')
      .update(JSON.stringify(body))
      .digest('hex');

  return {
    get active() {
      return framework.active;
    },
    get person() {
      return framework.person;
    },
    get email() {
      return framework.email;
    },
    async start() {
      const initialized = new Promise<void>((resolve) => framework.once('initialized', () => resolve()));
      await framework.start();
      await initialized;
    },
    async stop() {
      await framework.stop();
    },
    async feed(body) {
      await handleWebhook({ body, headers: { 'x-spark-signature': signForFramework(body) } });
    },
    onMessage(listener) {
      framework.on('message', (bot, trigger) =>
        listener({ space: bot.room, senderEmail: trigger.person?.emails?.[0], message: trigger.message }),
      );
    },
    onCardSubmission(listener) {
      framework.on('attachmentAction', (bot, trigger) =>
        listener({ space: bot.room, senderEmail: trigger.person?.emails?.[0], action: trigger.attachmentAction }),
      );
    },
  };
}
