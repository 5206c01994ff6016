import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { Clock, WebexWholesalePort } from '../ports.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { createReportDownloader } from './report-download.js';
import { createWholesaleClient } from './wholesale-client.js';
import { createFixedToken, createOAuthTokens } from './wholesale-tokens.js';

const observeWebexCall = (m: Metrics) => (operation: string, outcome: string, seconds: number) => {
  m.webexCalls.inc({ operation, outcome });
  m.webexCallDuration.observe({ operation }, seconds);
};

/** The Webex Wholesale adapter for upstream mode; undefined standalone (no credentials: nothing calls Webex). */
export function createUpstream(deps: {
  config: Config;
  useCases: UseCases;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
  /** Webex calls by operation and outcome, and their latency. */
  metrics?: Metrics | undefined;
}): WebexWholesalePort | undefined {
  const { config } = deps;
  const credentials = config.UPSTREAM;
  if (credentials.mode === 'standalone') return undefined;
  const tokens =
    credentials.kind === 'token'
      ? createFixedToken(credentials.token)
      : (() => {
          const stored = deps.useCases.createRefreshTokenStore(deps.box, credentials.refreshToken, deps.clock);
          return createOAuthTokens({
            apiUrl: config.WEBEX_WHOLESALE_API_URL,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
            loadRefreshToken: stored.load,
            saveRefreshToken: stored.save,
            timeoutMs: config.WEBEX_WHOLESALE_TIMEOUT_MS,
            logger: deps.logger,
          });
        })();
  return createWholesaleClient({
    apiUrl: config.WEBEX_WHOLESALE_API_URL,
    tokens,
    logger: deps.logger,
    timeoutMs: config.WEBEX_WHOLESALE_TIMEOUT_MS,
    concurrency: config.WEBEX_WHOLESALE_CONCURRENCY,
    ratePerSecond: config.WEBEX_WHOLESALE_RATE_PER_SECOND,
    reportPoll: { firstMs: config.WEBEX_REPORT_POLL_MS, waitMs: config.WEBEX_REPORT_WAIT_MS },
    ...(deps.metrics ? { observe: observeWebexCall(deps.metrics) } : {}),
    downloadReport: createReportDownloader({
      allowedHosts: config.WEBEX_DOWNLOAD_ALLOWED_HOSTS,
      idleTimeoutMs: config.WEBEX_WHOLESALE_TIMEOUT_MS,
    }),
  });
}
