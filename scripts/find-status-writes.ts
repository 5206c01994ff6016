import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Where a customer's or subscriber's status is written outside the two status repositories. */
export interface StatusWrite {
  file: string;
  line: number;
  what: string;
}

const TABLES = new Set(['customers', 'subscribers']);
/** The only modules that write the status column; moveCustomer / moveSubscriber are their only importers (dependency rule). */
export const STATUS_WRITERS = ['src/db/repositories/customer-status.ts', 'src/db/repositories/subscriber-status.ts'];
/** Raw SQL that updates one of the tables and names the status column in its SET list. */
const RAW_UPDATE = /\bupdate\s+(customers|subscribers)\b[\s\S]*?\bset\b[\s\S]*?\bstatus\s*=/i;

/**
 * Finds status writes that bypass the transition functions: a Kysely `updateTable('customers' |
 * 'subscribers')` chain whose `.set(…)` names `status` (or spreads an object the checker cannot see
 * into), and raw SQL updating either table's status. Inserts are new records, not moves.
 */
export function findStatusWrites(file: string, text: string): StatusWrite[] {
  if (STATUS_WRITERS.includes(file)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: StatusWrite[] = [];
  const report = (node: ts.Node, what: string) =>
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') {
      const table = updatedTable(node.expression.expression);
      const arg = node.arguments[0];
      if (table && arg) {
        if (!ts.isObjectLiteralExpression(arg)) {
          if (!isStatuslessPatch(arg)) report(node, `${table}: .set() of a value the checker cannot read; list the columns`);
        } else
          for (const p of arg.properties) {
            if (ts.isSpreadAssignment(p)) report(p, `${table}: .set() spreads an object that may carry status`);
            else if (p.name && propertyName(p.name) === 'status') report(p, `${table}.status written outside moveCustomer/moveSubscriber`);
          }
      }
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'sql') {
      const raw = node.template.getText(source);
      const m = RAW_UPDATE.exec(raw);
      if (m) report(node, `${m[1]}.status written in raw SQL outside moveCustomer/moveSubscriber`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Patch types that leave the status out by construction (db/repositories: `Omit<…, 'status' | …>`). */
const STATUSLESS_PATCHES = new Set(['CustomerPatch', 'SubscriberPatch']);

/** A parameter of the enclosing function declared with one of the status-less patch types. */
function isStatuslessPatch(arg: ts.Expression): boolean {
  if (!ts.isIdentifier(arg)) return false;
  for (let n: ts.Node | undefined = arg.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      const param = n.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === arg.text);
      if (!param) continue;
      return Boolean(param.type && ts.isTypeReferenceNode(param.type) && STATUSLESS_PATCHES.has(param.type.typeName.getText()));
    }
  }
  return false;
}

/** The table of the `updateTable('…')` call this chain starts from, if it is customers or subscribers. */
function updatedTable(expr: ts.Expression): string | undefined {
  let e: ts.Expression = expr;
  while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) {
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      e.expression.name.text === 'updateTable' &&
      e.arguments[0] &&
      ts.isStringLiteral(e.arguments[0])
    ) {
      const table = e.arguments[0].text.split(/\s+/)[0] ?? '';
      return TABLES.has(table) ? table : undefined;
    }
    e = e.expression;
  }
  return undefined;
}

const propertyName = (name: ts.PropertyName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;

/** The application's source files, repository-relative; migrations are history (they may backfill a status). */
export const listCheckedFiles = (root: string): string[] =>
  readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => relative(root, join(d.parentPath, d.name)).split('\\').join('/'))
    .filter((f) => !f.startsWith('src/db/migrations/'));
