import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
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
const INDEX = asset('index.html');

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
  app.get('/', (c) =>
    c.body(new Uint8Array(INDEX), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      ...CONSOLE_SECURITY_HEADERS,
    }),
  );
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/console/:file{.+}', (c) => {
    const file = FILES[c.req.param('file')];
    if (!file) return c.notFound();
    return c.body(new Uint8Array(file.body), 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache', ...CONSOLE_SECURITY_HEADERS });
  });
  return app;
}
