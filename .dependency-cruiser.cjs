/**
 * The layers of the code (README, "Design"), checked on every `npm run lint`:
 *
 *   domain ← contracts ← db ← use-cases ← edges (api, webhooks, bot, webex, jobs, cli) ← composition root
 *
 * Shared infrastructure (ports.ts, logger.ts, platform/*) may be imported by every layer but domain and
 * contracts; config.ts only by the edges and the composition root (main.ts, start-service.ts, app.ts,
 * cli.ts), which may import anything and which nothing else imports.
 *
 * Type-only imports count like any other (`tsPreCompilationDeps`): a layer that may not import a module
 * may not name its types either. Edges never hold the database: they get the use-case façade
 * (src/use-cases/use-cases.ts), built in the composition root; `npm run lint:edges` checks with the type
 * checker that no value an edge touches is a kysely object.
 */

const EDGES = ['api', 'webhooks', 'bot', 'webex', 'jobs', 'cli'];
const edge = (name) => `^src/${name}/`;
const anyEdge = `^src/(${EDGES.join('|')})/`;
const ROOT = '^src/(main|start-service|app|cli|cli-direct)\\.ts$';
const INFRA = '^src/(ports\\.ts|logger\\.ts|platform/)';
const CONFIG = '^src/config\\.ts$';
const DB_LIBS = '^node_modules/(kysely|kysely-pglite-dialect|pg|@electric-sql/pglite)/';
/** (Packages resolve to their files under node_modules/.) What the pure domain must never reach for: databases, HTTP servers and clients, chat, logging, timers. */
const IO_LIBS =
  '^node_modules/(kysely|kysely-pglite-dialect|pg|@electric-sql/pglite|hono|@hono/[^/]+|undici|node-fetch|webex-node-bot-framework|pino|node-cron)/';

/** Edge-to-edge imports allowed (acyclic): api → bot, webhooks; webex → bot, webhooks; jobs → bot. */
const EDGE_MAY_IMPORT = { api: ['bot', 'webhooks'], webex: ['bot', 'webhooks'], jobs: ['bot'], bot: [], webhooks: [], cli: [] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module cycle: split out what both sides need, or invert one import.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders import each other in a cycle: the layers (domain ← contracts ← db ← use-cases ← edges) must stay acyclic.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'src/domain is pure: it imports nothing of src outside src/domain.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain is pure: no node:* builtins, no database, HTTP, chat or logging library.',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-uses-no-io-library',
      severity: 'error',
      comment: 'src/domain is pure: no database, HTTP, chat or logging library.',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: IO_LIBS },
    },
    {
      name: 'contracts-import-only-domain',
      severity: 'error',
      comment: 'src/contracts (zod schemas of external shapes) imports only src/domain, src/contracts and zod.',
      from: { path: '^src/contracts/' },
      to: { pathNot: '^(src/(domain|contracts)/|node_modules/zod/)' },
    },
    {
      name: 'status-moves-only-through-transitions',
      severity: 'error',
      comment:
        "A customer's or subscriber's status is written only by moveCustomer / moveSubscriber (src/use-cases/move-*.ts): they check the state machine first, then write, emit the typed event and append the audit entry.",
      from: { path: '^src/', pathNot: '^src/use-cases/move-(customer|subscriber)\\.ts$' },
      to: { path: '^src/db/repositories/(customer|subscriber)-status\\.ts$' },
    },
    {
      name: 'db-imports-only-inner-layers',
      severity: 'error',
      comment: 'src/db imports only domain, contracts, db and the shared infrastructure (ports, logger, platform).',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: ['^src/(domain|contracts|db)/', INFRA] },
    },
    {
      name: 'db-libraries-only',
      severity: 'error',
      comment: 'src/db uses kysely, pg and PGlite; anything else belongs to an outer layer.',
      from: { path: '^src/db/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: DB_LIBS },
    },
    {
      name: 'use-cases-import-only-inner-layers',
      severity: 'error',
      comment:
        'src/use-cases imports domain, contracts, db, use-cases and the shared infrastructure; never an edge, config or the composition root.',
      from: { path: '^src/use-cases/' },
      to: { path: '^src/', pathNot: ['^src/(domain|contracts|db|use-cases)/', INFRA] },
    },
    {
      name: 'edges-never-import-db',
      severity: 'error',
      comment: 'Edges call use-cases through the façade (deps.useCases); SQL and repositories stay behind them.',
      from: { path: anyEdge },
      to: { path: '^src/db/' },
    },
    {
      name: 'edges-never-hold-the-store',
      severity: 'error',
      comment:
        'Edges call the use-case façade they are given (deps.useCases, built by createUseCases in the composition root); the database handle type (use-cases/store.ts) stays inside the use-cases.',
      from: { path: anyEdge },
      to: { path: '^src/use-cases/store\\.ts$' },
    },
    {
      name: 'edges-never-name-rows',
      severity: 'error',
      comment:
        'Edges answer with contract shapes: use-cases return them or map rows in the use-case layer (use-cases/responses.ts and the toXResponse beside each operation); the stored row types (use-cases/records.ts) stay inside.',
      from: { path: anyEdge },
      to: { path: '^src/use-cases/records\\.ts$' },
    },
    {
      name: 'edges-never-import-kysely',
      severity: 'error',
      comment: 'Edges never build queries: move the SQL into a repository under src/db/repositories, called from a use-case.',
      from: { path: anyEdge },
      to: { path: DB_LIBS },
    },
    ...EDGES.map((name) => {
      const others = EDGES.filter((other) => other !== name && !EDGE_MAY_IMPORT[name].includes(other));
      const allowed = EDGE_MAY_IMPORT[name];
      return {
        name: `edge-${name}-imports-only-allowed-edges`,
        severity: 'error',
        comment: `src/${name} may import ${allowed.length ? allowed.map((a) => `src/${a}`).join(' and ') : 'no other edge'} (allowed edge imports: api → bot, webhooks; webex → bot, webhooks; jobs → bot).`,
        from: { path: edge(name) },
        to: { path: `^src/(${others.join('|')})/` },
      };
    }),
    {
      name: 'shared-infrastructure-stays-below',
      severity: 'error',
      comment:
        'ports.ts, logger.ts and platform/* are imported by the layers; they import none of db, use-cases, edges, config or the composition root.',
      from: { path: INFRA },
      to: { path: [`^src/(db|use-cases|${EDGES.join('|')})/`, CONFIG, ROOT] },
    },
    {
      name: 'config-only-in-edges-and-root',
      severity: 'error',
      comment: 'config.ts (the environment) is read by the edges and the composition root only; inner layers take plain options.',
      from: { path: '^src/', pathNot: [anyEdge, ROOT, CONFIG] },
      to: { path: CONFIG },
    },
    {
      name: 'nothing-imports-the-composition-root',
      severity: 'error',
      comment: 'main.ts, start-service.ts, app.ts and cli.ts wire everything together; nothing else imports them.',
      from: { path: '^src/', pathNot: ROOT },
      to: { path: ROOT },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or an installed package.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Packages are leaves: the rules name them, nobody looks inside.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/console/assets/' },
    // Type-only imports (`import type`, `import { type X }`) are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Sources import `./x.js` and mean `./x.ts` (NodeNext).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
