// `npm run lint:routes`: every operation of the /v1 API is registered with its contract
// (`router.operation(contract({…}), handler)`, src/api/openapi.ts), never as a bare `router.get(…)` the
// OpenAPI document, the request validation and the query refusal would not know. Reads src/api/v1-routes.ts
// and every route file it mounts (and they mount); exits 1 naming each route registered without a contract.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RouteFile {
  file: string;
  text: string;
}

export interface Finding {
  file: string;
  line: number;
  text: string;
  reason: string;
}

const REGISTERING = /\b(get|post|put|patch|delete|all|on|options)\s*\(/;

/** The routes registered without a contract in these files (a router made with `new Hono`, or `router.get(…)`). */
export function routesWithoutContract(files: readonly RouteFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const { file, text } of files) {
    const lines = text.split('\n');
    // The routers of the file: whatever holds createRouter(), new OpenAPIHono or new Hono.
    const routers = new Set(
      [...text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*(?:createRouter\(|new (?:OpenAPIHono|Hono)\b)/g)].map((m) => m[1]),
    );
    lines.forEach((line, i) => {
      if (/\bnew Hono\b/.test(line))
        findings.push({ file, line: i + 1, text: line.trim(), reason: 'a plain Hono router: make it with createRouter() (openapi.ts)' });
      for (const router of routers) {
        const call = new RegExp(`\\b${router}\\s*\\.\\s*${REGISTERING.source}`).exec(line);
        if (call)
          findings.push({
            file,
            line: i + 1,
            text: line.trim(),
            reason: `${router}.${call[1]}() registers a route without a contract: use ${router}.operation(contract({…}), handler)`,
          });
      }
    });
  }
  return findings;
}

/** src/api/v1-routes.ts and the route files it mounts, transitively. */
export function v1RouteFiles(root: string): RouteFile[] {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/from '\.\/([\w-]+-routes)\.js'/g)) visit(join(dirname(file), `${m[1]}.ts`));
  };
  visit(join(root, 'src/api/v1-routes.ts'));
  return [...seen].map(([file, text]) => ({ file: relative(root, file), text }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const files = v1RouteFiles(root);
  const findings = routesWithoutContract(files);
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.reason}\n    ${f.text}`);
  if (findings.length) {
    console.error(`\n${findings.length} route(s) of the /v1 API without a contract`);
    process.exit(1);
  }
  console.log(`${files.length} /v1 route files: every route registered with its contract`);
}
