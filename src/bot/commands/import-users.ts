import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { fail, ok, problem } from '../../domain/problems.js';
import { describeUtf8Fault, findUtf8Fault } from '../../domain/utf8-check.js';
import { describeImportProblem } from '../../use-cases/import-subscribers.js';
import { actorOf, defineCommand, type BotContext } from '../bot-command.js';
import { countOf } from '../plural.js';
import { given } from '../form-values.js';
import { escapeMarkdown } from '../replies.js';
import { addUserArgs, type AddUserArgs } from '../../contracts/chat-arguments.js';

const MAX_ROWS = 10_000;
const MAX_LISTED_PROBLEMS = 30;
const PROGRESS_EVERY_MS = 3_000;
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
type ImportRowArgs = z.infer<typeof rowSchema>;

/** The file as a whole: its rows are checked one by one (every one) when the import is proposed. */
const rowsSchema = z
  .array(z.record(z.string(), z.unknown()))
  .min(1, `the file has no rows under its header (${COLUMNS})`)
  .max(MAX_ROWS, `a file holds at most ${MAX_ROWS.toLocaleString('en-US')} rows; split it`);

/** Each row's shape, and an email on two lines; every bad row with every reason. */
function checkRowShapes(rows: readonly Record<string, unknown>[]): {
  valid: ImportRowArgs[];
  problems: { row: number; message: string }[];
} {
  const valid: ImportRowArgs[] = [];
  const problems: { row: number; message: string }[] = [];
  const seen = new Map<string, number>();
  for (const raw of rows) {
    const row = Number(raw.row);
    const reasons: string[] = [];
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) for (const issue of parsed.error.issues) reasons.push(`${issue.path.join('.')}: ${issue.message}`);
    const email = typeof raw.email === 'string' ? raw.email : '';
    if (email && seen.has(email)) reasons.push(`${email} is already on line ${seen.get(email)}`);
    else if (email) seen.set(email, row);
    if (reasons.length) problems.push({ row, message: reasons.join('; ') });
    else if (parsed.success) valid.push(parsed.data);
  }
  return { valid, problems };
}

/** Every bad row named (the first few dozen listed), nothing written. */
function badRowsReply(problems: readonly { row: number; message: string }[]): string {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  const listed = sorted
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => `- ${escapeMarkdown(describeImportProblem(p))}`)
    .join('\n');
  const more = sorted.length > MAX_LISTED_PROBLEMS ? `\n…and ${countOf(sorted.length - MAX_LISTED_PROBLEMS, 'more bad row')}` : '';
  return `Nothing was imported: ${countOf(sorted.length, 'row')} cannot be added; fix ${sorted.length === 1 ? 'it' : 'them'} and send the file again:\n${listed}${more}`;
}

function readCsv(ctx: BotContext): { fileName?: string; rows?: unknown; error?: string } {
  const file = ctx.files?.find((f) => /\.csv$/i.test(f.name)) ?? ctx.files?.[0];
  if (!file) return {};
  const fault = findUtf8Fault(file.content);
  if (fault) return { fileName: file.name, error: describeUtf8Fault(fault) };
  const text = new TextDecoder('utf-8').decode(file.content).replace(/^\uFEFF/, '');
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
    const shapes = checkRowShapes(a.rows);
    const checked = await ctx.useCases.checkSubscriberImport(actorOf(ctx), shapes.valid, ctx.deps);
    const problems = [...shapes.problems, ...checked.problems];
    if (problems.length) return fail(problem('invalid_request', badRowsReply(problems)));
    if (checked.toAdd === 0)
      return fail(
        problem(
          'nothing_to_do',
          `Nothing to import: ${a.rows.length === 1 ? 'the user' : `all ${countOf(a.rows.length, 'user')}`} in ${escapeMarkdown(a.fileName)} ${a.rows.length === 1 ? 'is' : 'are'} already there.`,
        ),
      );
    return ok(
      `Import **${countOf(checked.toAdd, 'user')}** from ${escapeMarkdown(a.fileName)} into ${countOf(checked.customers, 'customer')}${checked.present ? ` (${countOf(checked.present, 'user')} ${checked.present === 1 ? 'is' : 'are'} already there and stay${checked.present === 1 ? 's' : ''} as ${checked.present === 1 ? 'it is' : 'they are'})` : ''}? Every row was checked; their billing starts now.`,
    );
  },
  async run(ctx, a) {
    const shapes = checkRowShapes(a.rows);
    if (shapes.problems.length) return { markdown: badRowsReply(shapes.problems) };
    let lastProgress = ctx.elapsedMs?.() ?? 0;
    let lastShare = 0;
    const r = await ctx.useCases.applySubscriberImport(actorOf(ctx), shapes.valid, ctx.deps, async (done, total) => {
      const now = ctx.elapsedMs?.() ?? 0;
      // A tenth at least, or a few seconds since the last word: a long import is never silent for long.
      if (!ctx.progress || (done - lastShare < total / 10 && now - lastProgress < PROGRESS_EVERY_MS)) return;
      lastProgress = now;
      lastShare = done;
      await ctx.progress(`Importing ${escapeMarkdown(a.fileName)}: ${done.toLocaleString('en-US')} of ${countOf(total, 'user')} written…`);
    });
    if (!r.ok) return { markdown: badRowsReply(r.rows) };
    return {
      markdown: `Import of ${escapeMarkdown(a.fileName)} finished: **${countOf(r.value.toAdd, 'user')} added** to ${countOf(r.value.customers, 'customer')}, ${r.value.present.toLocaleString('en-US')} already there. Nothing else was changed.`,
    };
  },
});
