import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { AppEnv } from './api/app-env.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { createDb } from './db/create-db.js';
import { migrateToLatest } from './db/migrate.js';
import { runLongWork } from './db/run-in-transaction.js';
import { createUseCases } from './use-cases/use-cases.js';
import { createTaskWorker } from './jobs/task-worker.js';
import { createInboxWorker } from './jobs/inbox-worker.js';
import { createWebhookDispatcher } from './jobs/webhook-dispatcher.js';
import { createDeliverySender } from './webhooks/post-delivery.js';
import { createComplianceDeadlineJob } from './jobs/compliance-deadlines.js';
import type { Logger } from './logger.js';
import { nodeIds } from './platform/node-ids.js';
import { systemClock, type Clock, type IdSource } from './ports.js';
import { seedFirstStart } from './use-cases/seed-first-start.js';
import { createSecretBox } from './platform/secret-box.js';
import { countSecretsToReencrypt, createDownloadKeyring } from './use-cases/signing-keys.js';
import { keepWebexStarted } from './webex/keep-webex-started.js';
import { createDigestScheduler } from './jobs/digest-scheduler.js';
import { createUpstreamSyncJob } from './jobs/upstream-sync-job.js';
import { createInvoiceIssueJob } from './jobs/invoice-issue-job.js';
import { createMonthChargesJob } from './jobs/month-charges-job.js';
import { postToConsoleInbox } from './bot/console-inbox.js';
import { createMetrics } from './platform/metrics.js';
import { createUpstream } from './webex/create-upstream.js';
import { checkWebhookTargets, listDataNotices } from './use-cases/data-notices.js';
import { dataNoticeLine } from './domain/data-notices.js';
import { parseWebhookAllowList } from './domain/webhook-targets.js';
import { checkUpstreamAtStart, recheckWhileRefused } from './webex/check-upstream-at-start.js';
import { describeScreening } from './use-cases/screening-list.js';
import { startAdminServer } from './cli/admin-server.js';
import { runCliCommand } from './cli/run-cli-command.js';
import { newAdminKey, writeAdminEndpoint } from './platform/admin-endpoint.js';

export interface RunningService {
  url: string;
  /** A token generated on first start (null when ADMIN_API_TOKEN was given or on later starts). */
  generatedToken: string | null;
  stop(): Promise<void>;
}

/**
 * Opens and migrates the database, seeds a first start, starts the worker and the HTTP server.
 * Shutdown order: stop accepting, drain in-flight requests, stop the worker, close the database.
 */
export async function startService(config: Config, logger: Logger, opts: { clock?: Clock; ids?: IdSource } = {}): Promise<RunningService> {
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? nodeIds;
  const handle = await createDb(config, (error) =>
    logger.warn({ err: error }, 'a database connection failed; it is discarded and the next request reconnects'),
  );
  const { db } = handle;
  const metrics = config.METRICS_TOKEN ? createMetrics() : undefined;
  let shuttingDown = false;
  try {
    const applied = await migrateToLatest(db, () => clock.now());
    // The edges get the use-case façade, never the database handle.
    const useCases = createUseCases({ db });
    logger.info({ database: handle.kind, location: handle.location, applied }, 'database ready');
    const box = createSecretBox({ current: config.SECRETS_KEY, previous: config.SECRETS_KEY_PREVIOUS });
    const seed = await seedFirstStart(db, { partnerName: config.PARTNER_NAME, adminApiToken: config.ADMIN_API_TOKEN }, { clock, ids, box });
    const downloadKeys = createDownloadKeyring(db, box, clock);
    await downloadKeys.keys(); // a key that opens the current secret but not a retired one fails here, not on a download
    if (!box.encrypting) {
      logger.warn('SECRETS_KEY is not set: download-link signing keys are stored unencrypted in the database');
    } else if ((await countSecretsToReencrypt(db, box, clock.now())) > 0) {
      logger.warn('some stored secrets are not encrypted under SECRETS_KEY yet; run `npm run cli -- secrets reencrypt`');
    }
    const upstream = createUpstream({ config, useCases, box, clock, logger, metrics });
    if (upstream) {
      logger.info(
        { mode: 'upstream', api: config.WEBEX_WHOLESALE_API_URL, auth: upstream.status().auth },
        'upstream mode: customers and subscribers are provisioned through Webex Wholesale',
      );
    } else {
      logger.info(
        { mode: 'standalone' },
        'standalone mode: nothing is sent to Webex Wholesale (set WEBEX_WHOLESALE_TOKEN or WEBEX_CLIENT_ID/WEBEX_CLIENT_SECRET/WEBEX_REFRESH_TOKEN to provision through it)',
      );
    }
    if (seed.createdPartner) logger.info({ partnerId: seed.partnerId }, 'first start: partner, default template and API token created');
    await reviewStoredData(db, config, logger);
    // Said at start as well as in /readyz: a first customer would otherwise wait without the operator knowing why.
    const screening = await describeScreening(db, config.SCREENING_REQUIRED);
    if (screening.warning) logger.warn({ screening: screening.list }, screening.warning);
    if (upstream) void checkUpstreamAtStart(upstream, logger);
    const stopRecheck = upstream ? recheckWhileRefused(upstream, logger) : undefined;

    const worker = createTaskWorker({
      useCases,
      logger,
      clock,
      ids,
      pollMs: config.WORKER_POLL_MS,
      screeningThreshold: config.SCREENING_THRESHOLD,
      screeningRequired: config.SCREENING_REQUIRED,
      leaseMs: config.TASK_LEASE_MS,
      leaseRenewMs: config.TASK_LEASE_RENEW_MS,
      metrics,
      upstream,
    });
    const inbox = createInboxWorker({ useCases, logger, clock, ids, pollMs: config.WORKER_POLL_MS, viaWebex: Boolean(upstream) });
    const dispatcher = createWebhookDispatcher({
      useCases,
      logger,
      clock,
      pollMs: Math.max(config.WORKER_POLL_MS, 1_000),
      send: createDeliverySender({ allowedHosts: config.WEBHOOK_ALLOWED_HOSTS }),
      openSecret: (stored) => box.open(stored),
    });
    const deadlines = createComplianceDeadlineJob({ useCases, logger, clock, ids });
    // The Webex SDK is large: it is only loaded when the bot is configured.
    const webex =
      config.WEBEX_MODE === 'off'
        ? undefined
        : (await import('./webex/webex-transport.js')).createWebexTransport<AppEnv>({
            config,
            useCases,
            log: logger,
            clock,
            ids,
            upstream,
          });
    const digests = createDigestScheduler({
      useCases,
      logger,
      clock,
      ids,
      instanceId: ids.uuid(),
      metrics,
      post: async (space, reply) => {
        if (space.transport === 'console') return postToConsoleInbox(useCases, space, reply, clock.now());
        if (!webex) throw new Error('this is a Webex space and Webex is not configured (WEBEX_BOT_TOKEN)');
        await webex.post(space.spaceId, reply);
      },
    });
    const syncJob =
      upstream && config.WEBEX_SYNC_SCHEDULE
        ? createUpstreamSyncJob({ useCases, logger, clock, ids, upstream, schedule: config.WEBEX_SYNC_SCHEDULE, instanceId: ids.uuid() })
        : undefined;
    if (!upstream && config.WEBEX_SYNC_SCHEDULE)
      logger.warn('WEBEX_SYNC_SCHEDULE is set but the desk runs standalone: there is nothing to sync with');
    const invoiceJob =
      config.INVOICE_ISSUE_SCHEDULE === 'off'
        ? undefined
        : createInvoiceIssueJob({
            useCases,
            logger,
            clock,
            schedule: config.INVOICE_ISSUE_SCHEDULE,
            instanceId: ids.uuid(),
            numberPrefix: config.INVOICE_NUMBER_PREFIX,
          });
    const monthCharges = createMonthChargesJob({ useCases, logger, clock, instanceId: ids.uuid() });
    const app = createApp({
      useCases,
      config,
      logger,
      clock,
      ids,
      downloadSecret: seed.downloadSecret,
      downloadKeys,
      box,
      isShuttingDown: () => shuttingDown,
      onWorkQueued: () => worker.wake(),
      onEventQueued: () => inbox.wake(),
      onDeliveryQueued: () => dispatcher.wake(),
      webexRoutes: webex?.routes,
      metrics,
      poolStats: handle.poolStats,
      upstream,
    });

    const server = await listen(app.fetch, config);
    const address = server.address() as AddressInfo;
    const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${address.port}`;
    worker.start();
    inbox.start();
    dispatcher.start();
    deadlines.start();
    digests.start();
    syncJob?.start();
    invoiceJob?.start();
    monthCharges.start();
    // On the embedded database only this process may open DATA_DIR: the operator CLI hands it its
    // commands over a loopback endpoint, with a key written beside the lock file (mode 0600).
    const admin =
      handle.kind === 'pglite' && !handle.location.startsWith('memory://')
        ? await startAdminEndpoint(config.DATA_DIR, (args, options) =>
            runCliCommand(useCases, args, options, { clock, ids, box, upstream, invoiceNumberPrefix: config.INVOICE_NUMBER_PREFIX }),
          )
        : undefined;
    logger.info({ url, publicUrl: config.PUBLIC_URL }, 'listening');
    const webexStarted = webex ? keepWebexStarted(webex, logger) : undefined;

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        shuttingDown = true;
        logger.info('shutting down: draining requests');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
        await closed;
        clearTimeout(grace);
        stopRecheck?.();
        await admin?.close();
        await Promise.all([
          worker.stop(),
          inbox.stop(),
          dispatcher.stop(),
          deadlines.stop(),
          digests.stop(),
          syncJob?.stop(),
          invoiceJob?.stop(),
          monthCharges.stop(),
        ]);
        if (webex) {
          await webexStarted?.cancel();
          await webex.stop().catch((error) => logger.warn({ err: error }, 'webex bot did not stop cleanly'));
        }
        await db.destroy();
        logger.info('shutdown complete');
      })());
    return { url, generatedToken: seed.generatedToken, stop };

    async function startAdminEndpoint(dataDir: string, run: Parameters<typeof startAdminServer>[0]['run']) {
      const key = newAdminKey();
      const server = await startAdminServer({ key, run, logger });
      const file = await writeAdminEndpoint(dataDir, { pid: process.pid, port: server.port, key }).catch(async (error: unknown) => {
        await server.close();
        throw error;
      });
      logger.info({ adminPort: server.port }, 'admin endpoint for the CLI listening on 127.0.0.1');
      return {
        close: async () => {
          await file.remove();
          await server.close();
        },
      };
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
}

/**
 * Data an older release stored that today's rules refuse is named at every start (and stays listed on
 * GET /v1/data-notices until fixed); webhook targets the rules refuse are disabled rather than retried.
 */
async function reviewStoredData(db: Parameters<typeof checkWebhookTargets>[0], config: Config, logger: Logger): Promise<void> {
  const webhooks = await checkWebhookTargets(db, parseWebhookAllowList(config.WEBHOOK_ALLOWED_HOSTS));
  if (webhooks.enabled > 0)
    logger.info({ enabled: webhooks.enabled }, 'webhook subscriptions allowed again by WEBHOOK_ALLOWED_HOSTS are enabled');
  if (webhooks.cancelled > 0)
    logger.warn({ cancelled: webhooks.cancelled }, 'pending deliveries to disabled webhook subscriptions were cancelled');
  // A scan of every subscriber: at a million subscribers longer than a request may take.
  const notices = await runLongWork(db, (trx) => listDataNotices(trx, null, { webhooks: true }));
  for (const notice of notices) {
    logger.warn({ dataNotice: notice.kind, count: notice.count, ids: notice.items.map((i) => i.id) }, dataNoticeLine(notice));
  }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.PORT, hostname: config.HOST }) as Server;
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new ListenError(`port ${config.PORT} is already in use; set PORT to a free port`) : error);
    });
  });
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
}
