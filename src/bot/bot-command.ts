import type { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database, PartnerRow } from '../db/schema.js';
import type { UseCaseDeps } from '../use-cases/actor.js';

export type StaffRole = 'viewer' | 'operator' | 'admin';
const RANK: Record<StaffRole, number> = { viewer: 0, operator: 1, admin: 2 };
export const hasRole = (have: StaffRole, need: StaffRole): boolean => RANK[have] >= RANK[need];

export interface BotActor {
  partner: PartnerRow;
  /** Audit label: `staff:<email>` on Webex, `token:<id>` in the console. */
  label: string;
  role: StaffRole;
}

export interface BotContext {
  db: Kysely<Database>;
  actor: BotActor;
  /** The Webex space (room id) or the console session the message came from. */
  spaceId: string;
  deps: UseCaseDeps;
}

export interface BotFile {
  name: string;
  contentType: string;
  content: string;
}

export interface BotReply {
  markdown: string;
  files?: BotFile[];
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
  /** Words after the command name → the raw argument object the schema checks. */
  read(words: string[], ctx: BotContext): unknown;
  args: z.ZodType<A>;
  /**
   * For commands that delete or change billing: describes the effect and asks the same person to
   * confirm within 10 minutes; a string is an answer instead (e.g. nothing to do).
   */
  propose?(ctx: BotContext, args: A): Promise<{ proposal: string } | { answer: string }>;
  run(ctx: BotContext, args: A): Promise<BotReply>;
}

/** Defines a command with its argument type inferred from its schema. */
export const defineCommand = <S extends z.ZodType>(c: Omit<BotCommand<z.infer<S>>, "args"> & { args: S }): BotCommand<z.infer<S>> => c as unknown as BotCommand<z.infer<S>>;
