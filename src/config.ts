import { readFileSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import type { InvoiceSeller } from './platform/render-invoice-pdf.js';
import { parseSecretsKey } from './platform/secret-box.js';
import { DEFAULT_DATA_DIR } from './platform/admin-endpoint.js';

/** Empty strings count as unset, so `FOO=` in an env file falls back to the default. */
const optionalString = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

/** 0: a free port the operating system chooses (the 'listening' log line says which). */
const port = z.preprocess(
  (v) => (v === undefined || v === '' ? '3000' : v),
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number between 1 and 65535')
    .transform(Number)
    .pipe(z.number().int().max(65535, 'must be between 1 and 65535 (or 0: any free port)')),
);

const positiveInt = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? String(fallback) : v),
    z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().positive()),
  );

const secretsKeyFormat = 'must be 32 bytes written as base64 or 64 hex digits (openssl rand -base64 32)';
/** A limit where 0 turns the feature off. */
const limitOrOff = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? String(fallback) : v),
    z.string().regex(/^\d+$/, 'must be a whole number (0: off)').transform(Number).pipe(z.number().int().nonnegative()),
  );

export const configSchema = z.object({
  PORT: port,
  HOST: optionalString.default('0.0.0.0'),
  DATA_DIR: optionalString.default(DEFAULT_DATA_DIR),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  ADMIN_API_TOKEN: optionalString.pipe(
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  PARTNER_NAME: optionalString.default('Demo Partner').pipe(z.string().max(120, 'must be at most 120 characters')),
  LOG_LEVEL: optionalString.default('info').pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  EVENTS_SECRETS: optionalString.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().min(16, 'each secret must be at least 16 characters')).min(1))
      .optional(),
  ),
  SCREENING_THRESHOLD: z.preprocess(
    (v) => (v === undefined || v === '' ? '0.84' : v),
    z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number between 0 and 1, such as 0.84')
      .transform(Number),
  ),
  /**
   * Restricted-party screening is mandatory (the guide): without a loaded list new customers wait in
   * pending_rpl_review. `false` provisions them unscreened, with a warning, until a list is loaded.
   */
  SCREENING_REQUIRED: optionalString
    .default('true')
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .transform((v) => v === 'true'),
  WEBEX_BOT_TOKEN: optionalString.pipe(
    z.string().min(20, 'must be a Webex bot access token').regex(/^\S+$/, 'must not contain spaces').optional(),
  ),
  WEBEX_WEBHOOK_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Where the Webex REST API is; the Webex SDK inside the bot framework reads the same variable. */
  HYDRA_SERVICE_URL: optionalString
    .default('https://webexapis.com/v1')
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  WORKER_POLL_MS: positiveInt(250),
  /** Host names, addresses or CIDR ranges webhooks may reach although they are not public (comma-separated). */
  WEBHOOK_ALLOWED_HOSTS: optionalString.transform((v) =>
    (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  /** PostgreSQL cancels a statement running longer than this; the request answers 503. */
  DB_STATEMENT_TIMEOUT_MS: positiveInt(10_000),
  /** Long-running work (report generation, reconciliation, issuing, upstream sync) may run statements this long. */
  DB_LONG_STATEMENT_TIMEOUT_MS: positiveInt(900_000),
  /** The largest billing report file a reconciliation accepts (streamed, so memory stays flat): 4 GiB. */
  RECONCILIATION_MAX_BYTES: positiveInt(4 * 1024 * 1024 * 1024),
  /**
   * How far V8 lets the JavaScript heap grow past what survived the last full collection before it
   * collects again, in percent (0: V8's own choice). V8 chooses up to 300% on a machine with memory to
   * spare, and a million-line report or reconciliation leaves most of what the database sent to wait in
   * the old generation for that collection: 50% kept the service under 220 MiB where V8's choice reached
   * 316 MiB, at no cost in time (docs/scale.md).
   */
  HEAP_GROWING_PERCENT: z.preprocess(
    (v) => (v === undefined || v === '' ? '50' : v),
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of percent between 0 (V8 decides) and 300')
      .transform(Number)
      .pipe(z.number().int().max(300, 'must be between 0 (V8 decides) and 300')),
  ),
  /** How long a request waits for a database connection before answering 503. */
  DB_CONNECT_TIMEOUT_MS: positiveInt(5_000),
  /** Encrypts the download-link signing keys at rest (AES-256-GCM); unset: stored unencrypted, with a warning. */
  SECRETS_KEY: optionalString.pipe(
    z
      .string()
      .refine((v) => parseSecretsKey(v) !== undefined, secretsKeyFormat)
      .optional(),
  ),
  /** The key being replaced, during a key change: secrets sealed under it still open until `secrets reencrypt`. */
  SECRETS_KEY_PREVIOUS: optionalString.pipe(
    z
      .string()
      .refine((v) => parseSecretsKey(v) !== undefined, secretsKeyFormat)
      .optional(),
  ),
  /** Requests per minute one API token may make under /v1 (0: no limit); counted per instance. */
  RATE_LIMIT_PER_TOKEN: limitOrOff(1_200),
  /** Failed authentications (401) per minute from one client address before it gets 429 (0: no limit). */
  RATE_LIMIT_PER_ADDRESS: limitOrOff(300),
  /** Sign-ins begun or returned (GET /auth/login, /auth/callback) per minute from one client address (0: no limit). */
  RATE_LIMIT_SIGN_INS: limitOrOff(30),
  /** Signed inbound events (POST /v1/events) per minute from one client address (0: no limit). */
  RATE_LIMIT_EVENTS: limitOrOff(120_000),
  /** Client addresses come from the rightmost X-Forwarded-For entry (set it behind a reverse proxy only). */
  TRUST_PROXY: optionalString
    .default('false')
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .transform((v) => v === 'true'),
  /** The Webex Wholesale API the desk provisions through in upstream mode. */
  WEBEX_WHOLESALE_API_URL: optionalString
    .default('https://webexapis.com/v1')
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  /** A partner administrator's access token: upstream mode without an OAuth integration. */
  WEBEX_WHOLESALE_TOKEN: optionalString.pipe(
    z.string().min(20, 'must be a Webex access token').regex(/^\S+$/, 'must not contain spaces').optional(),
  ),
  /** An OAuth integration (spark-admin:wholesale_* scopes): its client id, secret and a refresh token. */
  WEBEX_CLIENT_ID: optionalString.pipe(z.string().regex(/^\S+$/, 'must not contain spaces').optional()),
  WEBEX_CLIENT_SECRET: optionalString.pipe(z.string().regex(/^\S+$/, 'must not contain spaces').optional()),
  WEBEX_REFRESH_TOKEN: optionalString.pipe(
    z.string().min(20, 'must be a Webex refresh token').regex(/^\S+$/, 'must not contain spaces').optional(),
  ),
  /** Every Webex Wholesale request is abandoned after this long (and retried where safe). */
  WEBEX_WHOLESALE_TIMEOUT_MS: positiveInt(15_000),
  /** Webex Wholesale requests in flight at once, per instance. */
  WEBEX_WHOLESALE_CONCURRENCY: positiveInt(8),
  /** Requests a second the desk sends Webex Wholesale at most, paced on this side (0: unpaced; Webex's 429s still pace). */
  WEBEX_WHOLESALE_RATE_PER_SECOND: limitOrOff(0),
  /**
   * How long a claimed provisioning task is held, unless its worker renews it, before another instance
   * may take it over: a crashed instance's tasks resume within this long.
   */
  TASK_LEASE_MS: positiveInt(15_000).pipe(z.number().min(1_000, 'must be at least 1000 (one second)')),
  /** How often a worker renews the leases of the tasks it holds (at most half of TASK_LEASE_MS); unset: 5 s, or a third of a shorter lease. */
  TASK_LEASE_RENEW_MS: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(100, 'must be at least 100'))
      .optional(),
  ),
  /** The staff's OpenID Connect provider (its issuer URL); with the client id and secret, staff sign in to the console as themselves. */
  OIDC_ISSUER: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be the identity provider issuer URL (https)' }).optional()),
  OIDC_CLIENT_ID: optionalString.pipe(z.string().regex(/^\S+$/, 'must not contain spaces').optional()),
  OIDC_CLIENT_SECRET: optionalString.pipe(z.string().regex(/^\S+$/, 'must not contain spaces').optional()),
  /**
   * For an identity provider that never sends the `email_verified` claim: its absence is taken as
   * verified (an explicit `false` is still refused). Off: only `email_verified: true` signs anyone in.
   */
  OIDC_ALLOW_MISSING_EMAIL_VERIFIED: optionalString
    .default('false')
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .transform((v) => v === 'true'),
  /** A console session ends after this many minutes without a request… */
  SESSION_IDLE_MINUTES: positiveInt(30),
  /** …and at the latest this many hours after sign-in. */
  SESSION_MAX_HOURS: positiveInt(12),
  /** When the scheduled `sync` with Webex Wholesale runs (cron, UTC), e.g. `0 3 * * *`; unset: only on demand. */
  WEBEX_SYNC_SCHEDULE: optionalString.pipe(
    z
      .string()
      .refine((v) => cron.validate(v), 'must be a cron expression such as "0 3 * * *" (minute hour day month weekday)')
      .optional(),
  ),
  /**
   * Hosts, addresses or CIDR ranges a billing report's tempDownloadURL may name although they are not
   * public (and then over http too); everything else must be https to a public address.
   */
  WEBEX_DOWNLOAD_ALLOWED_HOSTS: optionalString.transform((v) =>
    (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ),
  /** Reconciliation's fetch path: the first wait before polling Cisco's report again (doubling up to 15 s). */
  WEBEX_REPORT_POLL_MS: positiveInt(2_000),
  /** How long a fetch waits for Cisco's report to be COMPLETED before answering that it is still being made. */
  WEBEX_REPORT_WAIT_MS: positiveInt(120_000),
  /** When last month's invoices are issued (cron, UTC); default the 1st at 06:00; `off`: only on demand. */
  INVOICE_ISSUE_SCHEDULE: optionalString
    .default('0 6 1 * *')
    .pipe(
      z
        .string()
        .refine(
          (v) => v === 'off' || cron.validate(v),
          'must be a cron expression such as "0 6 1 * *" (minute hour day month weekday), or off',
        ),
    ),
  /** Issued invoice numbers read `<prefix>-<year>-<000123>`, gapless per partner. */
  INVOICE_NUMBER_PREFIX: optionalString
    .default('WD')
    .pipe(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/, 'must be 1 to 20 letters, digits, - or _ (starting with a letter or digit)'),
    ),
  /** How many days back a change may be dated (effectiveAt); older is refused. */
  BACKDATE_MAX_DAYS: positiveInt(62).pipe(z.number().max(400, 'must be at most 400')),
  /** The seller printed at the top of every invoice PDF; unset, PARTNER_NAME. */
  INVOICE_SELLER_NAME: optionalString.pipe(z.string().max(200, 'must be at most 200 characters').optional()),
  /** The seller's address on invoice PDFs: lines separated by `|`. */
  INVOICE_SELLER_ADDRESS: optionalString
    .transform((v) =>
      (v ?? '')
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(200, 'each line must be at most 200 characters')).max(8, 'at most 8 lines (separated by |)')),
  /** A PNG drawn at the top left of every invoice PDF page (read once). */
  INVOICE_LOGO_PNG: optionalString.pipe(
    z
      .string()
      .refine((path) => fileStartsWith(path, [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]), 'must be the path of a readable PNG file')
      .optional(),
  ),
  /** A TrueType/OpenType font for invoice PDFs, for scripts DejaVu Sans lacks (Chinese, Japanese, Korean, …). */
  INVOICE_FONT: optionalString.pipe(
    z
      .string()
      .refine(
        (path) =>
          fileStartsWith(path, [
            [0x00, 0x01, 0x00, 0x00],
            [0x4f, 0x54, 0x54, 0x4f],
            [0x74, 0x72, 0x75, 0x65],
          ]),
        'must be the path of a readable TrueType or OpenType font (.ttf or .otf)',
      )
      .optional(),
  ),
  /** Bearer token that GET /metrics requires; without it /metrics answers 404. */
  METRICS_TOKEN: optionalString.pipe(
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
});

type RawConfig = z.infer<typeof configSchema>;

/** How chat reaches Webex: webhooks need a public URL; without one the framework uses Webex's websocket. */
export type WebexMode = 'off' | 'webhook' | 'websocket';

/**
 * How the desk reaches Webex Wholesale: standalone (no credentials) never calls Webex; upstream provisions
 * through the API with a partner administrator's token, or with an OAuth integration's refresh token.
 */
export type UpstreamCredentials =
  | { mode: 'standalone' }
  | { mode: 'upstream'; kind: 'token'; token: string }
  | { mode: 'upstream'; kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string };

export type Config = Readonly<
  Omit<RawConfig, 'PUBLIC_URL' | 'TASK_LEASE_RENEW_MS'> & {
    TASK_LEASE_RENEW_MS: number;
    /** Where the service is reachable from outside; used in Location headers and links. */
    PUBLIC_URL: string;
    WEBEX_MODE: WebexMode;
    UPSTREAM: UpstreamCredentials;
  }
>;

/** True when the file can be read and begins with one of the signatures (a PNG, a font). */
function fileStartsWith(path: string, signatures: readonly (readonly number[])[]): boolean {
  try {
    const head = readFileSync(path).subarray(0, 8);
    return signatures.some((sig) => sig.every((b, i) => head[i] === b));
  } catch {
    return false;
  }
}

const logoCache = new Map<string, Uint8Array>();
/** The invoice PDFs' seller from the configuration; the logo is read once per process. */
export function invoiceSeller(config: Config): InvoiceSeller {
  const logo = config.INVOICE_LOGO_PNG;
  if (logo && !logoCache.has(logo)) logoCache.set(logo, readFileSync(logo));
  return {
    name: config.INVOICE_SELLER_NAME ?? config.PARTNER_NAME,
    address: config.INVOICE_SELLER_ADDRESS,
    logoPng: logo ? logoCache.get(logo) : undefined,
    fontPath: config.INVOICE_FONT,
  };
}

/** Thrown when the environment is invalid; its message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment once; only this module looks at `process.env`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // The value is never shown: DATABASE_URL carries a password, secrets and tokens are secrets, and
    // logs of a failed start travel further than the environment they came from.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const raw = parsed.data;
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  const mode: WebexMode = !raw.WEBEX_BOT_TOKEN ? 'off' : raw.PUBLIC_URL ? 'webhook' : 'websocket';
  if (mode === 'webhook' && !raw.WEBEX_WEBHOOK_SECRET) {
    throw new ConfigError(
      'invalid configuration: WEBEX_WEBHOOK_SECRET: required when PUBLIC_URL and WEBEX_BOT_TOKEN are set (Webex signs each webhook with it)',
    );
  }
  const oidc = { OIDC_ISSUER: raw.OIDC_ISSUER, OIDC_CLIENT_ID: raw.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: raw.OIDC_CLIENT_SECRET };
  const oidcGiven = Object.entries(oidc).filter(([, v]) => v !== undefined);
  if (oidcGiven.length && oidcGiven.length < 3) {
    const missing = Object.entries(oidc)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    throw new ConfigError(
      `invalid configuration: ${missing.join(', ')}: required with ${oidcGiven.map(([k]) => k).join(', ')} (OpenID Connect sign-in needs all three)`,
    );
  }
  if (raw.OIDC_ISSUER && new URL(raw.OIDC_ISSUER).protocol !== 'https:' && !isLoopbackHost(new URL(raw.OIDC_ISSUER).hostname)) {
    throw new ConfigError('invalid configuration: OIDC_ISSUER: must be https (plain http is accepted on loopback only, for tests)');
  }
  if (raw.TASK_LEASE_RENEW_MS !== undefined && raw.TASK_LEASE_RENEW_MS * 2 > raw.TASK_LEASE_MS) {
    throw new ConfigError(
      `invalid configuration: TASK_LEASE_RENEW_MS: must be at most half of TASK_LEASE_MS (${raw.TASK_LEASE_MS}), so a renewal that is late once still keeps the lease`,
    );
  }
  if (raw.SECRETS_KEY_PREVIOUS && !raw.SECRETS_KEY) {
    throw new ConfigError('invalid configuration: SECRETS_KEY_PREVIOUS: only meaningful with SECRETS_KEY (the new key) set');
  }
  return Object.freeze({
    ...raw,
    PUBLIC_URL: publicUrl,
    TASK_LEASE_RENEW_MS: raw.TASK_LEASE_RENEW_MS ?? Math.min(5_000, Math.floor(raw.TASK_LEASE_MS / 3)),
    HYDRA_SERVICE_URL: raw.HYDRA_SERVICE_URL.replace(/\/+$/, ''),
    WEBEX_WHOLESALE_API_URL: raw.WEBEX_WHOLESALE_API_URL.replace(/\/+$/, ''),
    WEBEX_MODE: mode,
    UPSTREAM: upstreamCredentials(raw),
  });
}

/** Standalone without credentials; a token, or all three OAuth variables, mean upstream. Never both, never part of the three. */
function upstreamCredentials(raw: RawConfig): UpstreamCredentials {
  const oauth = {
    WEBEX_CLIENT_ID: raw.WEBEX_CLIENT_ID,
    WEBEX_CLIENT_SECRET: raw.WEBEX_CLIENT_SECRET,
    WEBEX_REFRESH_TOKEN: raw.WEBEX_REFRESH_TOKEN,
  };
  const given = Object.entries(oauth).filter(([, v]) => v !== undefined);
  if (given.length && given.length < 3) {
    const missing = Object.entries(oauth)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    throw new ConfigError(
      `invalid configuration: ${missing.join(', ')}: required with ${given.map(([k]) => k).join(', ')} (an OAuth integration needs all three)`,
    );
  }
  if (given.length && raw.WEBEX_WHOLESALE_TOKEN) {
    throw new ConfigError(
      'invalid configuration: WEBEX_WHOLESALE_TOKEN: set either it or the OAuth integration (WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET, WEBEX_REFRESH_TOKEN), not both',
    );
  }
  if (raw.WEBEX_WHOLESALE_TOKEN) return { mode: 'upstream', kind: 'token', token: raw.WEBEX_WHOLESALE_TOKEN };
  if (raw.WEBEX_CLIENT_ID && raw.WEBEX_CLIENT_SECRET && raw.WEBEX_REFRESH_TOKEN) {
    return {
      mode: 'upstream',
      kind: 'oauth',
      clientId: raw.WEBEX_CLIENT_ID,
      clientSecret: raw.WEBEX_CLIENT_SECRET,
      refreshToken: raw.WEBEX_REFRESH_TOKEN,
    };
  }
  return { mode: 'standalone' };
}

/** 127.0.0.0/8, ::1 and localhost: where a test's identity provider runs without TLS. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
