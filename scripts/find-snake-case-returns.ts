import { join } from 'node:path';
import ts from 'typescript';
import { readProject } from './find-edge-store-uses.js';

/** A façade member whose result (awaited, through Results, arrays and nested objects) has a snake_case key. */
export interface SnakeCaseReturn {
  member: string;
  /** Where the key sits in the result, e.g. `value.items[].org_id`. */
  path: string;
}

export const FACADE_FILE = 'src/use-cases/use-cases.ts';
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
/** Library types (Date, Map, streams, Buffer, …) are no shapes of ours: their keys are not looked at. */
const LIBRARY = /\/node_modules\/(typescript\/lib|@types\/node)\//;

/**
 * A key a contract declares (src/contracts: a zod schema's `z.infer`) is a wire name, spelled as the API or
 * Webex spells it (a drift kind, Cisco's own field): not a row's column, so not refused.
 */
const CONTRACTS = /\/src\/contracts\//;
const declaredByContract = (prop: ts.Symbol): boolean => {
  const declarations = prop.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => CONTRACTS.test(d.getSourceFile().fileName.replaceAll('\\', '/')));
};

/**
 * A mapped type (`Omit<Row, …>`, `Pick`, `Partial`, `Record<'a_b', …>`) is declared in the TypeScript library
 * too (lib.es5.d.ts's `{ [P in K]: T[P] }`), but its keys are the row's: it is looked into, never skipped.
 */
const isMapped = (type: ts.Type): boolean =>
  Boolean(type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped);

/**
 * A mapped type's key declared nowhere is one of a union of literals (`Record<DriftKind, number>`): a
 * domain value's name (a drift kind, a reconciliation class, an upstream outcome), not a column's. A key
 * it copies from a row (`Omit<Row, …>`) keeps the row's declaration, and is refused.
 */
const isLiteralKey = (owner: ts.Type, prop: ts.Symbol): boolean => isMapped(owner) && !prop.declarations?.length;

const fromLibrary = (type: ts.Type): boolean =>
  !isMapped(type) && Boolean(type.getSymbol()?.declarations?.some((d) => LIBRARY.test(d.getSourceFile().fileName.replaceAll('\\', '/'))));

/**
 * Every snake_case key in what a member of `UseCases` (the façade's type, `files[FACADE_FILE]`)
 * answers. `program` must contain the façade file; its `UseCases` type alias is read.
 */
export function findSnakeCaseReturns(program: ts.Program, root: string): SnakeCaseReturn[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, FACADE_FILE));
  if (!source) throw new Error(`${FACADE_FILE} is not in the program`);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'UseCases');
  if (!alias) throw new Error(`${FACADE_FILE} declares no type UseCases`);
  const facade = checker.getTypeAtLocation(alias.name);
  const found: SnakeCaseReturn[] = [];
  for (const member of checker.getPropertiesOfType(facade)) {
    const type = checker.getTypeOfSymbol(member);
    const seen = new Set<ts.Type>();
    const walk = (t: ts.Type, path: string, depth: number): void => {
      if (depth > 12 || seen.has(t)) return;
      seen.add(t);
      if (t.isUnion() || t.isIntersection()) {
        for (const part of t.types) walk(part, path, depth);
        return;
      }
      if (!(t.flags & ts.TypeFlags.Object)) return;
      const awaited = checker.getAwaitedType(t);
      if (awaited && awaited !== t) {
        walk(awaited, path, depth + 1);
        return;
      }
      if (checker.isArrayType(t) || checker.isTupleType(t)) {
        for (const arg of checker.getTypeArguments(t as ts.TypeReference)) walk(arg, `${path}[]`, depth + 1);
        return;
      }
      if (fromLibrary(t)) return;
      // A function handed out (a stream's producer, a store's methods): what it answers counts too.
      for (const sig of t.getCallSignatures()) walk(sig.getReturnType(), `${path}()`, depth + 1);
      for (const prop of checker.getPropertiesOfType(t)) {
        const at = path ? `${path}.${prop.name}` : prop.name;
        if (SNAKE.test(prop.name) && !declaredByContract(prop) && !isLiteralKey(t, prop)) found.push({ member: member.name, path: at });
        walk(checker.getTypeOfSymbol(prop), at, depth + 1);
      }
    };
    for (const sig of type.getCallSignatures()) walk(sig.getReturnType(), '', 0);
  }
  return found;
}

/** A program of the façade and what it imports (enough to know the façade's types). */
export const facadeProgram = (root: string, host?: ts.CompilerHost, extraFiles: string[] = []): ts.Program =>
  ts.createProgram([join(root, FACADE_FILE), ...extraFiles], readProject(root).options, host);
