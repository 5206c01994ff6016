import type { BotCommand } from './bot-command.js';
import { billingReportCommand } from './commands/billing-report.js';
import { customersCommand } from './commands/customers.js';
import { makeHelpCommand } from './commands/help.js';
import { approveCommand, rejectCommand } from './commands/review-decisions.js';
import { reviewQueueCommand } from './commands/review-queue.js';
import { statusCommand } from './commands/status.js';
import { removeUserCommand } from './commands/remove-user.js';
import { resendConsentCommand } from './commands/resend-consent.js';
import { provisionCustomerCommand } from './commands/provision-customer.js';
import { addUserCommand } from './commands/add-user.js';
import { addWorkspaceCommand } from './commands/add-workspace.js';
import { changePackageCommand } from './commands/change-package.js';
import { precheckUserCommand } from './commands/precheck-user.js';
import { invoiceCommand } from './commands/invoice.js';
import { issueInvoicesCommand } from './commands/issue-invoices.js';
import { reconcileCommand } from './commands/reconcile.js';
import { importUsersCommand } from './commands/import-users.js';
import { digestDailyCommand, digestNowCommand, digestOffCommand } from './commands/digest.js';
import { syncCommand } from './commands/sync.js';
import { driftCommand, driftResolveCommand } from './commands/drift.js';
import { retryFailedCommand } from './commands/retry-failed.js';
import { retryCustomerCommand } from './commands/retry-customer.js';

/** Every command, explicitly: no directory scanning. Names are checked for clashes at load. */
export const COMMANDS: readonly BotCommand[] = [
  makeHelpCommand(() => COMMANDS),
  customersCommand as BotCommand,
  statusCommand as BotCommand,
  provisionCustomerCommand as BotCommand,
  addUserCommand as BotCommand,
  addWorkspaceCommand as BotCommand,
  precheckUserCommand as BotCommand,
  changePackageCommand as BotCommand,
  importUsersCommand as BotCommand,
  billingReportCommand as BotCommand,
  invoiceCommand as BotCommand,
  issueInvoicesCommand as BotCommand,
  reconcileCommand as BotCommand,
  reviewQueueCommand as BotCommand,
  approveCommand as BotCommand,
  rejectCommand as BotCommand,
  removeUserCommand as BotCommand,
  resendConsentCommand as BotCommand,
  digestDailyCommand as BotCommand,
  digestOffCommand as BotCommand,
  digestNowCommand as BotCommand,
  syncCommand as BotCommand,
  driftCommand as BotCommand,
  driftResolveCommand as BotCommand,
  retryFailedCommand as BotCommand,
  retryCustomerCommand as BotCommand,
];

const names = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
const clash = names.find((n, i) => names.indexOf(n) !== i);
if (clash) throw new Error(`two bot commands are called "${clash}"`);
