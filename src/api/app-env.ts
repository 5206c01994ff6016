import type { ConsoleSessionWithHolder } from '../use-cases/console-sessions.js';
import type { StaffRole } from '../domain/staff-roles.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { Hono } from 'hono';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics, PoolStats } from '../platform/metrics.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import type { Actor } from '../use-cases/actor.js';
import type { UseCases } from '../use-cases/use-cases.js';
import type { DownloadKeyring } from '../use-cases/signing-keys.js';

export interface AuthContext {
  /** The API token the request carried; undefined when a person signed in to the console. */
  tokenId: string | undefined;
  /** Who acts, as the audit trail names them: `token:<id>`, or `staff:<email>` for a person signed in. */
  actorLabel: string;
  /** The console chat's space for this caller: one per token, one per person. */
  consoleSpaceId: string;
  /** A person's staff role (signed in to the console); a token's role follows from its scopes. */
  staffRole?: StaffRole | undefined;
  /** The console session, when the request came with its cookie (sign-out ends it). */
  session?: ConsoleSessionWithHolder | undefined;
  /** The partner that owns the token (a root partner or a sub-partner). */
  partner: Actor['partner'];
  scopes: readonly string[];
}

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    auth: AuthContext;
  };
};

/** Everything the HTTP app needs, injected; tests pass their own clock, ids and database. */
export interface AppDeps {
  useCases: UseCases;
  config: Config;
  logger: Logger;
  clock: Clock;
  ids: IdSource;
  /** Key for the signed, temporary report download links. */
  downloadSecret: string;
  /** The stored, rotatable download keys (the service); without it downloadSecret alone signs and verifies. */
  downloadKeys?: DownloadKeyring;
  /** Seals secrets before they are stored (webhook subscription secrets); absent, they are stored as given. */
  box?: SecretBox;
  /** True once shutdown began: /readyz answers 503 so load balancers drain. */
  isShuttingDown?: () => boolean;
  /** Nudges the task worker after work is queued, so it need not wait for its next poll. */
  onWorkQueued?: () => void;
  /** Nudges the inbox worker after an inbound event is stored. */
  onEventQueued?: () => void;
  /** Nudges the webhook dispatcher after a delivery is queued for replay. */
  onDeliveryQueued?: () => void;
  /** The Webex webhook receiver, mounted at /webex/events in webhook mode. */
  webexRoutes?: Hono<AppEnv> | undefined;
  /** Prometheus metrics; without them createApp makes its own when METRICS_TOKEN is set. */
  metrics?: Metrics | undefined;
  /** Webex Wholesale (upstream mode); absent, the desk runs standalone and never calls Webex. */
  upstream?: WebexWholesalePort | undefined;
  /** The PostgreSQL pool's use, read at scrape time (absent on PGlite). */
  poolStats?: (() => PoolStats) | undefined;
}
