import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { splitPackageList } from '../../domain/packages.js';
import { fail, ok, problem } from '../../domain/problems.js';
import { findLiveSubscribersByEmail } from '../../use-cases/chat-lookups.js';
import { createSubscriber } from '../../use-cases/subscribers.js';
import { defineCommand, type BotContext } from '../bot-command.js';
import { findCustomerByReference } from '../find-customer.js';
import { given } from '../form-values.js';
import { escapeMarkdown } from '../replies.js';
import { addUserArgs, type AddUserArgs } from '../../contracts/chat-arguments.js';

const MAX_ROWS = 5_000;
const MAX_LISTED_PROBLEMS = 30;
const PROGRESS_EVERY_MS = 10_000;
const COLUMNS = 'email, customer, package, first_name, last_name, extension, phone';

/** Header spellings people use → the argument each fills. */
const HEADER: Record<string, keyof AddUserArgs> = {
  email: 'email',
  customer: 'customer',
  customer_external_id: 'customer',
  package: 'package',
  first: 'firstName',
  first_name: 'firstName',
  firstname: 'firstName',
  last: 'lastName',
  last_name: 'lastName',
  lastname: 'lastName',
  extension: 'extension',
  phone: 'phone',
  phone_number: 'phone',
};

const rowSchema = addUserArgs.extend({ row: z.number().int() });
type ImportRow = z.infer<typeof rowSchema>;

/** Every row checked before anything is written; problems are listed by their line in the file. */
const rowsSchema = z
  .array(z.record(z.string(), z.unknown()))
  .min(1, `the file has no rows under its header (${COLUMNS})`)
  .max(MAX_ROWS, `a file holds at most ${MAX_ROWS} rows; split it`)
  .superRefine((rows, ctx) => {
    let listed = 0;
    let more = 0;
    const seen = new Map<string, number>();
    const report = (message: string) => (listed < MAX_LISTED_PROBLEMS ? (listed++, ctx.addIssue({ code: 'custom', message })) : more++);
    for (const row of rows) {
      const parsed = rowSchema.safeParse(row);
      if (!parsed.success)
        for (const issue of parsed.error.issues) report(`line ${String(row.row)}: ${issue.path.join('.')}: ${issue.message}`);
      const email = typeof row.email === 'string' ? row.email : '';
      if (email && seen.has(email)) report(`line ${String(row.row)}: ${email} is already on line ${seen.get(email)}`);
      else if (email) seen.set(email, row.row as number);
      // An extension or phone number is one subscriber's within a customer: two lines cannot share one.
      for (const [what, value] of [
        ['extension', row.extension],
        ['phone number', row.phone],
      ] as const) {
        if (typeof value !== 'string' || !value || typeof row.customer !== 'string') continue;
        const key = `${what}\u0000${row.customer.toLowerCase()}\u0000${value}`;
        const first = seen.get(key);
        if (first !== undefined) report(`line ${String(row.row)}: ${what} ${value} is already on line ${first} for ${row.customer}`);
        else seen.set(key, row.row as number);
      }
    }
    if (more) ctx.addIssue({ code: 'custom', message: `…and ${more} more problems` });
  })
  .transform((rows) => rows.map((r) => rowSchema.parse(r)));

function readCsv(ctx: BotContext): { fileName?: string; rows?: unknown; error?: string } {
  const file = ctx.files?.find((f) => /\.csv$/i.test(f.name)) ?? ctx.files?.[0];
  if (!file) return {};
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.content).replace(/^\uFEFF/, '');
  } catch {
    return { fileName: file.name, error: 'the file is not UTF-8 text; save it as CSV UTF-8' };
  }
  try {
    const records = parse(text, {
      columns: (h: string[]) =>
        h.map(
          (c) =>
            HEADER[
              c
                .trim()
                .toLowerCase()
                .replace(/[\s-]+/g, '_')
            ] ?? `?${c}`,
        ),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as Record<string, string>[];
    const unknown = Object.keys(records[0] ?? {}).filter((k) => k.startsWith('?'));
    if (unknown.length)
      return { fileName: file.name, error: `unknown columns ${unknown.map((k) => k.slice(1)).join(', ')}; use ${COLUMNS}` };
    return {
      fileName: file.name,
      rows: records.map((r, i) => ({
        row: i + 2,
        email: given(r.email)?.toLowerCase(),
        customer: given(r.customer),
        package: given(r.package),
        firstName: given(r.firstName),
        lastName: given(r.lastName),
        extension: given(r.extension),
        phone: given(r.phone),
      })),
    };
  } catch (error) {
    return { fileName: file.name, error: `the CSV cannot be read: ${(error as Error).message}` };
  }
}

/** Which rows are already in place (same email, same customer): re-running a file changes nothing. */
async function planImport(ctx: BotContext, rows: readonly ImportRow[]) {
  const customers = new Map<string, { id: string; name: string } | string>();
  for (const ref of new Set(rows.map((r) => r.customer))) {
    const found = await findCustomerByReference(ctx.db, ctx.actor.partner.id, ref);
    customers.set(
      ref,
      found.ok
        ? { id: found.value.id, name: found.value.name ?? found.value.external_id }
        : found.problems[0]?.code === 'customer_ambiguous'
          ? `several customers are called "${ref}"`
          : `no customer "${ref}"`,
    );
  }
  const existing = await findLiveSubscribersByEmail(
    ctx.db,
    rows.map((r) => r.email),
  );
  return { customers, existing };
}

export const importUsersCommand = defineCommand({
  name: 'import users',
  summary: 'Add many subscribers from an attached CSV (checks every row first; asks to confirm)',
  usage: `import users  (attach a CSV with columns ${COLUMNS})`,
  examples: ['import users  + users.csv attached'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read: (_words, ctx) => {
    const csv = readCsv(ctx);
    return { fileName: csv.fileName ?? '', rows: csv.error ? [] : csv.rows, fileProblem: csv.error };
  },
  args: z
    .object({
      fileName: z.string(),
      rows: rowsSchema.optional(),
      // A file that cannot be read is reported alone, not as missing rows too.
      fileProblem: z.undefined({ error: (issue) => String(issue.input) }).optional(),
    })
    .superRefine(
      (a, ctx) =>
        void (
          a.rows === undefined && ctx.addIssue({ code: 'custom', message: `attach a CSV file with the columns ${COLUMNS}`, path: ['file'] })
        ),
    )
    .transform((a) => ({ fileName: a.fileName, rows: a.rows ?? [] })),
  async propose(ctx, a) {
    const { customers, existing } = await planImport(ctx, a.rows);
    const linesOf = new Map<string, number[]>();
    for (const r of a.rows)
      if (typeof customers.get(r.customer) === 'string') linesOf.set(r.customer, [...(linesOf.get(r.customer) ?? []), r.row]);
    const problems = [...linesOf].map(
      ([ref, lines]) =>
        `${customers.get(ref) as string} (line${lines.length > 1 ? 's' : ''} ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? ', …' : ''})`,
    );
    if (problems.length)
      return fail(
        problem(
          'invalid_request',
          `Nothing was imported; fix these lines first:\n${problems
            .slice(0, MAX_LISTED_PROBLEMS)
            .map((p) => `- ${escapeMarkdown(p)}`)
            .join('\n')}`,
        ),
      );
    const present = a.rows.filter((r) => existing.get(r.email)?.customer_id === (customers.get(r.customer) as { id: string }).id).length;
    if (present === a.rows.length)
      return fail(
        problem('nothing_to_do', `Nothing to import: all ${a.rows.length} users in ${escapeMarkdown(a.fileName)} are already there.`),
      );
    return ok(
      `Import **${a.rows.length - present}** users from ${escapeMarkdown(a.fileName)} into ${new Set(a.rows.map((r) => r.customer)).size} customers${present ? ` (${present} are already there and stay as they are)` : ''}? Their billing starts now.`,
    );
  },
  async run(ctx, a) {
    const { customers, existing } = await planImport(ctx, a.rows);
    const actor = { partner: ctx.actor.partner, label: ctx.actor.label };
    const failed: string[] = [];
    let added = 0;
    let unchanged = 0;
    let lastProgress = ctx.elapsedMs?.() ?? 0;
    for (const [i, row] of a.rows.entries()) {
      const customer = customers.get(row.customer);
      if (typeof customer === 'string' || !customer) failed.push(`line ${row.row}: ${customer ?? 'unknown customer'}`);
      else if (existing.get(row.email)?.customer_id === customer.id) unchanged++;
      else {
        const r = await createSubscriber(
          ctx.db,
          actor,
          {
            customerId: customer.id,
            email: row.email,
            packages: splitPackageList(row.package),
            provisioningParameters: {
              firstName: row.firstName,
              lastName: row.lastName,
              extension: row.extension,
              primaryPhoneNumber: row.phone,
            },
          },
          ctx.deps,
        );
        if (r.ok) added++;
        else failed.push(`line ${row.row}: ${r.problems.map((p) => p.message).join('; ')}`);
      }
      const now = ctx.elapsedMs?.() ?? 0;
      if (ctx.progress && now - lastProgress >= PROGRESS_EVERY_MS && i + 1 < a.rows.length) {
        lastProgress = now;
        await ctx.progress(
          `Importing ${escapeMarkdown(a.fileName)}: ${i + 1} of ${a.rows.length} rows done (${added} added, ${failed.length} failed so far)…`,
        );
      }
    }
    const failures = failed.length
      ? `\n**${failed.length} failed:**\n${failed
          .slice(0, MAX_LISTED_PROBLEMS)
          .map((f) => `- ${escapeMarkdown(f)}`)
          .join('\n')}${failed.length > MAX_LISTED_PROBLEMS ? `\n…and ${failed.length - MAX_LISTED_PROBLEMS} more` : ''}`
      : '';
    return {
      markdown: `Import of ${escapeMarkdown(a.fileName)} finished: **${added} added**, ${unchanged} already there, ${failed.length} failed.${failures}`,
    };
  },
});
