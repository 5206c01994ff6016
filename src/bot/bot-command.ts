import type { z } from 'zod';
import type { Result } from '../domain/problems.js';
import type { Scope } from '../domain/scopes.js';
import type { StaffRole } from '../domain/staff-roles.js';
import type { Actor, UseCaseDeps } from '../use-cases/actor.js';
import type { UseCases } from '../use-cases/use-cases.js';
import type { WebexWholesalePort } from '../ports.js';
import type { InvoiceSeller } from '../platform/render-invoice-pdf.js';

export type { StaffRole };
const RANK: Record<StaffRole, number> = { viewer: 0, operator: 1, admin: 2 };
export const hasRole = (have: StaffRole, need: StaffRole): boolean => RANK[have] >= RANK[need];

export interface BotActor {
  partner: Actor['partner'];
  /** Audit label: `staff:<email>` on Webex, `token:<id>` in the console. */
  label: string;
  role: StaffRole;
  /**
   * The API scopes the person holds, where they sign in with a token (the console): a command then
   * also needs every scope its API call needs. Webex staff have no token; their role governs.
   */
  scopes?: readonly string[];
}

/** The scopes of `needed` that the actor lacks (none for staff, whose role governs). */
export const missingScopes = (actor: BotActor, needed: readonly Scope[]): Scope[] =>
  actor.scopes ? needed.filter((s) => !actor.scopes!.includes(s)) : [];

/** A file attached to the incoming message (the CSV of `import users`). */
export interface IncomingFile {
  name: string;
  content: Uint8Array;
}

export interface BotContext {
  useCases: UseCases;
  actor: BotActor;
  /** The Webex space (room id) or the console session the message came from. */
  spaceId: string;
  deps: UseCaseDeps;
  files?: readonly IncomingFile[];
  /** Sends an interim message while a long command runs (progress of an import). */
  progress?: (markdown: string) => Promise<void>;
  /** Milliseconds on a monotonic clock; long commands pace their progress messages with it. */
  elapsedMs?: () => number;
  /** Webex Wholesale in upstream mode; absent standalone (nothing reaches Webex). */
  upstream?: WebexWholesalePort | undefined;
  /** Issued invoices: the seller their PDFs print and the number prefix (configuration); absent, the partner's name and `WD`. */
  invoicing?: InvoicingSettings | undefined;
}

export interface InvoicingSettings {
  seller: InvoiceSeller;
  numberPrefix?: string | undefined;
}

export interface BotFile {
  name: string;
  contentType: string;
  /** Text (CSV) or bytes (the digest chart PNG). */
  content: string | Uint8Array;
}

/** An Adaptive Card (schema 1.3), as Webex and the console render it. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };

export interface BotReply {
  markdown: string;
  files?: BotFile[];
  card?: AdaptiveCard;
}

export interface FormField {
  /** The argument key; the card input of the same id fills it. */
  id: string;
  label: string;
  placeholder?: string;
  required?: boolean;
  choices?: readonly { title: string; value: string }[];
  /** Several choices allowed; the card sends them comma-separated. */
  multiple?: boolean;
}

/** A command whose missing arguments are asked for in an Adaptive Card form. */
export interface CommandForm {
  title: string;
  fields(ctx: BotContext): Promise<readonly FormField[]>;
  /** The raw arguments → the values shown in the form (prefill). */
  toInputs(raw: unknown): Record<string, string>;
  /** A submitted form's inputs → the raw arguments the schema checks. */
  fromInputs(inputs: Record<string, string>): unknown;
}

/** One chat command: its words, who may run it, how its arguments read, and what it does. */
export interface BotCommand<A = unknown> {
  /** Canonical words, e.g. "billing report". */
  name: string;
  aliases?: readonly string[];
  summary: string;
  usage: string;
  examples: readonly string[];
  role: StaffRole;
  /** The scopes of the API call the command stands for (a token must hold them all). */
  scopes: readonly Scope[];
  /** Words after the command name → the raw argument object the schema checks. */
  read(words: string[], ctx: BotContext): unknown;
  args: z.ZodType<A>;
  /**
   * For commands that delete or change billing: describes the effect and asks the same person to
   * confirm within 10 minutes. Problems (nothing to do, an unknown subscriber) are the answer
   * instead; their messages are phrased for chat.
   */
  propose?(ctx: BotContext, args: A): Promise<Result<string>>;
  /** When present, invalid or missing arguments open this form instead of a usage line. */
  form?: CommandForm;
  run(ctx: BotContext, args: A): Promise<BotReply>;
}

/** Defines a command with its argument type inferred from its schema. */
export const defineCommand = <S extends z.ZodType>(c: Omit<BotCommand<z.infer<S>>, 'args'> & { args: S }): BotCommand<z.infer<S>> =>
  c as unknown as BotCommand<z.infer<S>>;

/** Who a use case sees acting: the person's partner and audit label. */
export const actorOf = (ctx: BotContext): { partner: Actor['partner']; label: string } => ({
  partner: ctx.actor.partner,
  label: ctx.actor.label,
});

/** The seller on invoice PDFs: the configured one, else the partner as the desk knows it. */
export const invoiceSellerOf = (ctx: BotContext): InvoiceSeller => ctx.invoicing?.seller ?? { name: ctx.actor.partner.name, address: [] };
