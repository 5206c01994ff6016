import { join, relative } from 'node:path';
import ts from 'typescript';

/** Where an edge reaches the database past the use-case façade (src/use-cases/use-cases.ts). */
export interface EdgeStoreUse {
  file: string;
  line: number;
  what: string;
}

/** The edges: they call use-cases through the façade and never hold a query builder. */
export const EDGE_FILE = /^src\/(api|bot|jobs|webhooks|webex|cli)\//;
const KYSELY = /\/node_modules\/kysely\//;

/**
 * A TypeScript project as tsc reads it (`config` relative to root: its root files and options). The edge
 * check runs on tsconfig.json's program, the very one `tsc --noEmit` checks: the same files give the
 * same types (test/support/response-json.d.ts, for one, changes a global type the edges see).
 */
export function readProject(root: string, config = 'tsconfig.json'): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, config),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`${config} could not be read`);
  return parsed;
}

/** Prints what findEdgeStoreUses found (stderr) or that it found nothing (stdout); true when the edges are clean. */
export function reportEdgeStoreUses(uses: EdgeStoreUse[], program: ts.Program, root: string): boolean {
  for (const u of uses) console.error(`${u.file}:${u.line}: ${u.what}`);
  if (uses.length) {
    console.error(
      `\n${uses.length} database use(s) in the edges: call the use-case façade (deps.useCases, src/use-cases/use-cases.ts); SQL stays in src/db behind a use-case.`,
    );
    return false;
  }
  const edges = program.getSourceFiles().filter((s) => EDGE_FILE.test(relative(root, s.fileName).replaceAll('\\', '/'))).length;
  console.log(`edges: no database access past the use-case façade (${edges} edge files checked)`);
  return true;
}

const declaredInKysely = (symbol: ts.Symbol | undefined): boolean =>
  Boolean(symbol?.declarations?.some((d) => KYSELY.test(d.getSourceFile().fileName.replaceAll('\\', '/'))));

/**
 * A value of one of kysely's classes or interfaces (Kysely, Transaction, a query builder, …). Row
 * types built with kysely's mapped types (Selectable<…>) are plain data and do not count.
 */
function isKyselyObject(type: ts.Type): boolean {
  if (type.isUnion() || type.isIntersection()) return type.types.some(isKyselyObject);
  const symbol = type.getSymbol();
  return Boolean(symbol && symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface) && declaredInKysely(symbol));
}

/**
 * Type-checks the edges and finds every place one reaches the database past the façade: a call of a
 * kysely method or function (`db.selectFrom(…)`, `.execute()`, `sql\`…\``), any expression whose value
 * is a kysely object (a `Kysely` handle or a transaction held in a deps object, whatever its declared
 * name), and any type error in an edge file (a planted `deps.db.selectFrom(…)` on deps that have no
 * `db` is one, and an edge that does not type-check cannot be vouched for). No text search: the
 * checker resolves what each call and value really is.
 */
export function findEdgeStoreUses(program: ts.Program, root: string): EdgeStoreUse[] {
  const checker = program.getTypeChecker();
  const found: EdgeStoreUse[] = [];
  for (const source of program.getSourceFiles()) {
    const file = relative(root, source.fileName).replaceAll('\\', '/');
    if (!EDGE_FILE.test(file)) continue;
    const report = (node: ts.Node | undefined, start: number | undefined, what: string) => {
      const at = node ? node.getStart(source) : (start ?? 0);
      found.push({ file, line: source.getLineAndCharacterOfPosition(at).line + 1, what });
    };
    for (const d of program.getSemanticDiagnostics(source))
      report(undefined, d.start, `does not type-check: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const declaration = checker.getResolvedSignature(node)?.getDeclaration();
        if (declaration && KYSELY.test(declaration.getSourceFile().fileName.replaceAll('\\', '/')))
          report(node, undefined, `calls kysely: ${node.getText(source).slice(0, 80).replace(/\s+/g, ' ')}`);
      } else if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && !isDeclarationName(node)) {
        if (isKyselyObject(checker.getTypeAtLocation(node)))
          report(
            node,
            undefined,
            `holds a kysely object: ${node.getText(source)} is ${checker.typeToString(checker.getTypeAtLocation(node))}`,
          );
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  // A property access inside a flagged access (`deps.db` in `deps.db.selectFrom`) is one finding, not two.
  return found.filter((f, i) => found.findIndex((g) => g.file === f.file && g.line === f.line && g.what === f.what) === i);
}

/** Names being declared (a parameter, a property in a type) and names in types are not values being used. */
const isDeclarationName = (node: ts.Node): boolean => {
  const parent = node.parent;
  if (parent && 'name' in parent && (parent as { name?: ts.Node }).name === node && !ts.isPropertyAccessExpression(parent)) return true;
  for (let n: ts.Node | undefined = parent; n && !ts.isSourceFile(n); n = n.parent) if (ts.isTypeNode(n)) return true;
  return false;
};
