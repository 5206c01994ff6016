import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './app-env.js';
import { type ConsoleScripts, consoleScripts } from './console-bundle.js';

const require = createRequire(import.meta.url);
const asset = (name: string) => readFileSync(new URL(`../console/assets/${name}`, import.meta.url));

const JS = 'text/javascript; charset=utf-8';

interface StaticFile {
  type: string;
  body: Buffer;
}

/** Content types and bodies, read once: the console is a few static files, its two scripts and the API. */
function staticFiles(scripts: ConsoleScripts): Record<string, StaticFile> {
  return {
    // The console (src/console/app, bundled by esbuild) and Preact with htm, the declared dependencies.
    'app.js': { type: JS, body: scripts['app.js'] },
    'vendor/preact.js': { type: JS, body: scripts['vendor/preact.js'] },
    'console.css': { type: 'text/css; charset=utf-8', body: asset('console.css') },
    // Microsoft's Adaptive Cards renderer, served from the installed package: no CDN, no network.
    'adaptivecards.js': { type: JS, body: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js')) },
    'adaptivecards.css': { type: 'text/css; charset=utf-8', body: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css')) },
  };
}

const hashOf = (body: Uint8Array) => createHash('sha256').update(body).digest('base64url').slice(0, 16);

/**
 * Every `/console/<file>` the page links to gets `?v=<content hash>`: such a URL never changes its
 * content, so browsers keep it for a year, and a new release is a new URL (app.js imports the vendor
 * module by its versioned URL too). A plain URL is revalidated by ETag.
 */
export function versionAssetUrls(html: string, versionOf: (file: string) => string | undefined): string {
  return html.replace(/((?:src|href)=")\/console\/([^"?#]+)"/g, (whole, attr: string, file: string) => {
    const v = versionOf(file);
    return v ? `${attr}/console/${file}?v=${v}"` : whole;
  });
}

/** If-None-Match names this entity tag (or `*`); weak and strong tags compare alike for a GET. */
export function matchesEntityTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

interface ConsoleAssets {
  files: Record<string, StaticFile>;
  versions: Record<string, string>;
  index: Buffer;
  indexEtag: string;
}
let loaded: Promise<ConsoleAssets> | undefined;
/** Read (and, run from the sources, bundled) at the first request for the console, not at start. */
function consoleAssets(): Promise<ConsoleAssets> {
  loaded ??= consoleScripts(new URL('../console/assets/', import.meta.url), new URL('../console/app/', import.meta.url)).then(
    (scripts) => {
      const files = staticFiles(scripts);
      const versions = Object.fromEntries(Object.entries(files).map(([name, f]) => [name, hashOf(f.body)]));
      const index = Buffer.from(versionAssetUrls(asset('index.html').toString('utf8'), (file) => versions[file]));
      return { files, versions, index, indexEtag: `"${hashOf(index)}"` };
    },
    (error: unknown) => {
      loaded = undefined;
      throw error;
    },
  );
  return loaded;
}
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The body, or 304 when the browser's copy is current (headers the same either way, as RFC 9110 asks). */
function sendStatic(c: Context<AppEnv>, body: Buffer, type: string, etag: string, cacheControl: string) {
  const headers = { 'Content-Type': type, 'Cache-Control': cacheControl, ETag: etag, ...CONSOLE_SECURITY_HEADERS };
  if (matchesEntityTag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.body(new Uint8Array(body), 200, headers);
}

export const CONSOLE_SECURITY_HEADERS = {
  // Scripts only from here; the card renderer sets inline styles.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The web console at `/`: staff sign in with an API token and use the same chat as on Webex. */
export function createConsolePageRoutes() {
  const app = new Hono<AppEnv>();
  // The page itself is always revalidated: it names the current versions of everything else.
  app.get('/', async (c) => {
    const { index, indexEtag } = await consoleAssets();
    return sendStatic(c, index, 'text/html; charset=utf-8', indexEtag, 'no-cache');
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/console/:file{.+}', async (c) => {
    const { files, versions } = await consoleAssets();
    const file = files[c.req.param('file')];
    if (!file) return c.notFound();
    const version = versions[c.req.param('file')]!;
    // Only the current version is immutable: a stale ?v= gets today's file, revalidated like an unversioned URL.
    return sendStatic(c, file.body, file.type, `"${version}"`, c.req.query('v') === version ? IMMUTABLE : 'no-cache');
  });
  return app;
}
