import { SCREENING_DEPROVISIONED, SCREENING_REJECTED, SCREENING_SKIPPED } from '../domain/compliance/review-rules.js';
import { WEBEX_GAVE_NO_ANSWER } from '../domain/upstream-health.js';
import { PROBLEM_HTTP } from './error-body.js';

/**
 * The one list of error codes with what each means: docs/error-codes.md is generated from it
 * (`npm run generate:error-codes`) and a test keeps both in step with what the service can answer.
 * A row groups related codes; `status` is the HTTP status of each in turn ("–": never an HTTP answer).
 */
export interface ErrorCodeRow {
  codes: readonly number[];
  status: string;
  meaning: string;
}

export const ERROR_CODE_TABLE: readonly ErrorCodeRow[] = [
  {
    codes: [1000],
    status: '400',
    meaning:
      'malformed or invalid request field (NUL in an id or query, bad paging, control, bidi or invisible format characters in a name)',
  },
  { codes: [1010], status: '409', meaning: 'nothing to do (chat: the change is already in effect)' },
  {
    codes: [1101, 1102, 1103, 1104],
    status: '400',
    meaning: 'unknown package / not for subscribers / not on the customer / add-on requirement missing',
  },
  { codes: [1105], status: '409', meaning: 'package limit reached' },
  { codes: [1106], status: '409', meaning: 'package still held by subscribers' },
  { codes: [1107, 1108], status: '400', meaning: 'exactly one base package required (plus optional add-ons) / calling parameters missing' },
  {
    codes: [1120],
    status: '400',
    meaning: 'an add-on on a base package it cannot sit on (Attendant Console needs webex_calling, webex_suite or cx_essentials)',
  },
  { codes: [1201], status: '400', meaning: 'unsupported locale' },
  { codes: [1301, 1302], status: '400', meaning: 'invalid address / country' },
  { codes: [1401, 1402], status: '400', meaning: 'invalid time zone / time zone required' },
  {
    codes: [1501, 1502, 1503],
    status: '400 / 403 / 409',
    meaning: 'billingStartDate invalid / delayed billing off / billing already started',
  },
  { codes: [1601], status: '400', meaning: 'invalid effectiveAt' },
  {
    codes: [1602],
    status: '400',
    meaning: "effectiveAt before the customer's creation (new subscriber) or the subscriber's (update, removal); names the earliest",
  },
  {
    codes: [1701, 1702, 1703, 1704],
    status: '409',
    meaning: 'externalId conflict / customer takes no subscribers / customer busy / subscriber in error',
  },
  { codes: [1705, 1706], status: '400', meaning: '`%` in the customer name / customerInfo required' },
  {
    codes: [1801, 1802],
    status: '409',
    meaning: "the first subscriber (full admin) below the org's package level / the admin's package downgraded",
  },
  {
    codes: [1803, 1804],
    status: '409',
    meaning: 'extension / phone number already held by another subscriber or workspace of the customer (the holder is named)',
  },
  {
    codes: [1900],
    status: '400',
    meaning: '`provisioningParameters.locationId` on a subscriber without a calling package (guide: calling packages only)',
  },
  {
    codes: [1901],
    status: '400',
    meaning: 'attaching an existing org (`orgId`) through a template that does not allow admin-invite emails when attaching',
  },
  {
    codes: [1902],
    status: '400',
    meaning: "the template's OpenID Connect IdP name (`idpEntityId`): only letters, digits, `-`, `_`, `~`, `.`, at most 128 characters",
  },
  {
    codes: [10022],
    status: '409',
    meaning: "the email is already associated with an existing user (Webex's code); told only for the partner's own users and customers",
  },
  { codes: [2000], status: '404', meaning: 'no such route, or not found' },
  { codes: [2001, 2002, 2003, 2004, 2005], status: '404', meaning: 'customer / subscriber / template / sub-partner / location not found' },
  { codes: [2006], status: '409', meaning: 'template name taken' },
  { codes: [2007], status: '409', meaning: 'several customers answer to that name (chat)' },
  { codes: [2010, 2011], status: '404 / 409', meaning: 'workspace not found / the customer already has a workspace of that name' },
  { codes: [2024, 2025], status: '404 / 409', meaning: 'billing report not found / a report for that period and type exists' },
  { codes: [2026, 2027], status: '403', meaning: 'download link invalid (altered, or valid beyond its 30 minutes) / expired' },
  { codes: [2030], status: '409', meaning: 'price book currency differs from earlier versions' },
  {
    codes: [2040, 2041],
    status: '400 / 404',
    meaning: 'not a Webex billing report (missing columns named), a bad line (line numbers), not UTF-8 (line, byte) / not found',
  },
  {
    codes: [2042],
    status: '400',
    meaning: "no file to reconcile and no Webex connection (standalone): send Cisco's report as the body or attach it",
  },
  {
    codes: [2043, 2044],
    status: '502 / 503',
    meaning: "fetch path: Cisco's billing report ended FAILED (or vanished) / still being made after `WEBEX_REPORT_WAIT_MS`",
  },
  {
    codes: [2045, 2046],
    status: '502',
    meaning: "fetch path: the report's `tempDownloadURL` refused (not https, or not a public host) / its download failed",
  },
  {
    codes: [2047, 2048],
    status: '503 / 502',
    meaning: "fetch path: Webex Wholesale unavailable / refused the report request (Webex's message and trackingId)",
  },
  { codes: [2050], status: '404', meaning: 'issued invoice not found (no invoice of that number for this partner)' },
  { codes: [2051], status: '409', meaning: 'the month has not ended: a month is issued once it is over' },
  {
    codes: [2052],
    status: '400',
    meaning: '`effectiveAt` further back than `BACKDATE_MAX_DAYS` (default 62); names the limit and the earliest instant allowed',
  },
  {
    codes: [2065],
    status: '406',
    meaning: 'an issued invoice asked for in a form not served: `Accept` must allow application/json, application/pdf or text/csv',
  },
  {
    codes: [2100],
    status: '409',
    meaning: 'upstream mode only: the desk runs standalone and nothing is sent to Webex (consent-email resend, `sync`, drift actions)',
  },
  { codes: [2101], status: '409', meaning: 'the subscriber is not pending_user_migration (no consent email to resend)' },
  {
    codes: [2102],
    status: '503',
    meaning: "Webex Wholesale unreachable (prechecks: listed beside the desk's own problems; those decide the status)",
  },
  {
    codes: [2103],
    status: '400',
    meaning: "Webex refused it: Webex's own precheck findings or refusal, with Webex's errorCode in the description",
  },
  {
    codes: [2104],
    status: '409',
    meaning: 'upstream: the subscriber is still provisioning, updating or deleting in Webex; retry when it has settled (events retry it)',
  },
  { codes: [2121, 2122], status: '404 / 409', meaning: 'drift item not found / already resolved' },
  { codes: [2123], status: '409', meaning: 'a status difference cannot be pushed (adopt it)' },
  { codes: [2124], status: '503', meaning: 'Webex Wholesale unavailable during `sync` or a drift action: retry after `Retry-After`' },
  { codes: [2125, 2126], status: '409', meaning: 'drift item out of date (sync again) / Webex refused the push or the read' },
  {
    codes: [2130],
    status: '502 / –',
    meaning: "Webex refused the desk's token (401, 403): fix `WEBEX_WHOLESALE_TOKEN`; also in a held customer's or subscriber's `errors`",
  },
  {
    codes: [2131],
    status: '–',
    meaning: "in a customer's or subscriber's `errors`: Webex gave no usable answer through every attempt; retry once it answers",
  },
  { codes: [2132, 2133], status: '404 / 409', meaning: 'task not found / the task is not held or failed (nothing to retry)' },
  {
    codes: [2150],
    status: '400',
    meaning: "upstream: `cisco_calling_plan` on a subscriber: Cisco's subscriber API cannot receive it (a customer package there)",
  },
  {
    codes: [2151],
    status: '409',
    meaning: 'upstream: the workspace is still provisioning or deleting in Webex; retry when it has settled',
  },
  { codes: [2152], status: '404', meaning: 'no such sync run (`GET /v1/upstream/syncs/{id}`)' },
  {
    codes: [2164],
    status: '400',
    meaning: "a list's `cursor` is malformed, from another list or order, or comes with `offset`: follow the `Link` as given",
  },
  { codes: [3001], status: '403', meaning: 'missing scope (the screening list needs `wholesale-desk:screening_list`, root partner only)' },
  { codes: [3002], status: '403', meaning: 'sub-partner suspended: it may only read and delete' },
  { codes: [3003, 3004], status: '403', meaning: 'not on the staff list / the space belongs to another partner (chat)' },
  {
    codes: [3010],
    status: '403',
    meaning: 'a change from a console session without its CSRF token (`X-CSRF-Token`), or from another origin',
  },
  { codes: [3011], status: '400', meaning: 'a console sign-in that cannot finish: its link expired or was already used' },
  { codes: [3100], status: '400', meaning: 'screening list not valid' },
  {
    codes: [3101, 3102],
    status: '–',
    meaning: "in a customer's `errors`: restricted-party screening rejected it / deprovisioned it (30 days or 3 unanswered contacts)",
  },
  { codes: [3103, 3104], status: '404 / 409', meaning: 'review not found / review already closed' },
  {
    codes: [3105],
    status: '409',
    meaning: 'the review holds an org without a name: give it (`PUT` with `customerInfo.name`) or reject; no approval',
  },
  {
    codes: [3110],
    status: '–',
    meaning: "in a customer's `warnings`: provisioned without restricted-party screening (no list loaded, `SCREENING_REQUIRED=false`)",
  },
  {
    codes: [3111],
    status: '409',
    meaning: 'the review holds a customer for want of a screening list: load one (it is then screened and released) or reject; no approval',
  },
  { codes: [4000], status: '400', meaning: 'a Webex webhook that is not UTF-8 JSON or not a Webex envelope' },
  {
    codes: [4003],
    status: '400',
    meaning: 'JSON nested deeper than 32 levels of objects and arrays (any JSON body, inbound event or Webex webhook)',
  },
  { codes: [4001], status: '401', meaning: 'missing, unknown or revoked token' },
  { codes: [4002], status: '401', meaning: 'the console session ended (signed out, idle too long, or past its time limit): sign in again' },
  { codes: [4011], status: '401', meaning: 'inbound event signature missing, malformed, wrong, too old or in the future' },
  { codes: [4012], status: '401', meaning: 'Webex webhook signature (`X-Spark-Signature`) does not match `WEBEX_WEBHOOK_SECRET`' },
  { codes: [4031], status: '403', meaning: 'inbound events are off (`EVENTS_SECRETS` unset)' },
  {
    codes: [4020],
    status: '400',
    meaning: 'webhook URL refused: credentials in it, or a loopback, private, link-local or metadata host (`WEBHOOK_ALLOWED_HOSTS` allows)',
  },
  { codes: [4091, 4092], status: '409', meaning: 'replay of an inbound event that has not failed / of a delivery that is not dead' },
  { codes: [4110], status: '411', meaning: 'inbound event without `Content-Length`' },
  { codes: [4130, 4150], status: '413 / 415', meaning: 'body too large / wrong content type' },
  { codes: [4200, 4202], status: '404', meaning: 'no such API token of your partner / no such staff entry (console Staff & tokens page)' },
  { codes: [4201], status: '403', meaning: 'a token may hold only scopes the person or token creating it holds' },
  { codes: [4203], status: '409', meaning: 'removing your own staff entry (another admin does it)' },
  { codes: [4290], status: '429', meaning: 'rate limited: retry after `Retry-After` seconds (see Operations)' },
  { codes: [5000], status: '500', meaning: 'internal error (quote the trackingId)' },
  { codes: [5030, 5031], status: '503', meaning: 'database unavailable, or no partner yet: retry after `Retry-After`' },
];

/** Codes written into a record's `errors` or `warnings` (not an HTTP answer's). */
export const RECORDED_ERROR_CODES: readonly number[] = [
  SCREENING_REJECTED,
  SCREENING_DEPROVISIONED,
  WEBEX_GAVE_NO_ANSWER,
  SCREENING_SKIPPED,
];

/** Every errorCode the service can answer or record: each problem's, and the recorded ones. */
export const SERVED_ERROR_CODES: ReadonlySet<number> = new Set([
  ...Object.values(PROBLEM_HTTP).map((p) => p.errorCode),
  ...RECORDED_ERROR_CODES,
]);

/** docs/error-codes.md, as `npm run generate:error-codes` writes it (the table padded as `npm run format` leaves it). */
export function renderErrorCodesDoc(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = [['errorCode', 'status', 'meaning'], ...ERROR_CODE_TABLE.map((r) => [r.codes.join(' / '), cell(r.status), cell(r.meaning)])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/contracts/error-codes.ts by `npm run generate:error-codes`; edit the list there. -->',
    '',
    "Every error answers Webex's body, `{message, errors: [{description, errorCode}], trackingId}`; a",
    'request with several problems lists them all. Every code the service can answer:',
    '',
    line(head ?? []),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
  ].join('\n');
}
