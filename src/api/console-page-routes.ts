import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './app-env.js';

const require = createRequire(import.meta.url);
const asset = (name: string) => readFileSync(new URL(`../console/assets/${name}`, import.meta.url));

const JS = 'text/javascript; charset=utf-8';

/** Content types and bodies, read once: the console is a few static files, its page modules and the API. */
const FILES: Record<string, { type: string; body: Buffer }> = {
  'app.js': { type: JS, body: asset('app.js') },
  'pages.js': { type: JS, body: asset('pages.js') },
  // Preact with htm in one prebuilt ES module, from the installed package: pages import it by URL.
  'vendor/preact.js': { type: JS, body: readFileSync(join(dirname(require.resolve('htm')), '..', 'preact', 'standalone.module.js')) },
  'console.css': { type: 'text/css; charset=utf-8', body: asset('console.css') },
  // Microsoft's Adaptive Cards renderer, served from the installed package: no CDN, no network.
  'adaptivecards.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js')),
  },
  'adaptivecards.css': { type: 'text/css; charset=utf-8', body: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css')) },
};
// One module per page (src/console/assets/pages), served as pages/<name>.js.
const PAGES_DIR = new URL('../console/assets/pages/', import.meta.url);
for (const name of existsSync(PAGES_DIR) ? readdirSync(PAGES_DIR) : [])
  if (/^[a-z][a-z-]*\.js$/.test(name)) FILES[`pages/${name}`] = { type: JS, body: asset(`pages/${name}`) };

const hashOf = (body: Uint8Array) => createHash('sha256').update(body).digest('base64url').slice(0, 16);
const VERSIONS: Record<string, string> = Object.fromEntries(Object.entries(FILES).map(([name, f]) => [name, hashOf(f.body)]));

/**
 * Every `/console/<file>` the page links to gets `?v=<content hash>`: such a URL never changes its
 * content, so browsers keep it for a year, and a new release is a new URL. Files not named here keep
 * their plain URL (the page modules import each other by it) and are revalidated by ETag.
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

const INDEX = Buffer.from(versionAssetUrls(asset('index.html').toString('utf8'), (file) => VERSIONS[file]));
const INDEX_ETAG = `"${hashOf(INDEX)}"`;
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
  app.get('/', (c) => sendStatic(c, INDEX, 'text/html; charset=utf-8', INDEX_ETAG, 'no-cache'));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/console/:file{.+}', (c) => {
    const file = FILES[c.req.param('file')];
    if (!file) return c.notFound();
    const version = VERSIONS[c.req.param('file')]!;
    // Only the current version is immutable: a stale ?v= gets today's file, revalidated like an unversioned URL.
    return sendStatic(c, file.body, file.type, `"${version}"`, c.req.query('v') === version ? IMMUTABLE : 'no-cache');
  });
  return app;
}
