import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { AppEnv } from './app-env.js';

const require = createRequire(import.meta.url);
const swaggerUi = (name: string) => readFileSync(require.resolve(`swagger-ui-dist/${name}`));

/**
 * Starts Swagger UI on the document this service serves. A file of its own, not an inline script, so
 * the page keeps `script-src 'self'`; no validator badge, which would send the document to a third party.
 */
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
});
`;

interface Asset {
  type: string;
  body: Buffer;
}

/** Swagger UI's files, served from the installed package (no CDN), read on first use. */
const ASSET_SOURCES: Record<string, { type: string; read: () => Buffer }> = {
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', read: () => swaggerUi('swagger-ui-bundle.js') },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', read: () => swaggerUi('swagger-ui.css') },
  'docs-init.js': { type: 'text/javascript; charset=utf-8', read: () => Buffer.from(INITIALIZER) },
};

/** An asset's URL carries a hash of its content, so it can be cached for good and still change on upgrade. */
const assetPath = (name: string, asset: Asset) =>
  `/docs/assets/${createHash('sha256').update(asset.body).digest('hex').slice(0, 16)}/${name}`;

const SECURITY_HEADERS = {
  // Scripts only from here; Swagger UI sets inline styles and draws its icons from data: URIs.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The interactive API reference at `/docs`: Swagger UI on `/v1/openapi.json`. */
export function createDocsRoutes() {
  let assets: Map<string, Asset & { path: string }> | undefined;
  const loadAssets = () => {
    assets ??= new Map(
      Object.entries(ASSET_SOURCES).map(([name, source]) => {
        const asset = { type: source.type, body: source.read() };
        return [name, { ...asset, path: assetPath(name, asset) }];
      }),
    );
    return assets;
  };
  const page = () => {
    const url = (name: string) => loadAssets().get(name)?.path ?? '';
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wholesale Desk API</title>
<link rel="stylesheet" href="${url('swagger-ui.css')}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${url('swagger-ui-bundle.js')}"></script>
<script src="${url('docs-init.js')}"></script>
</body>
</html>
`;
  };

  const app = new Hono<AppEnv>();
  for (const path of ['/docs', '/docs/'])
    app.get(path, (c) =>
      c.body(page(), 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...SECURITY_HEADERS }),
    );
  app.get('/docs/assets/:hash/:file', (c) => {
    const asset = loadAssets().get(c.req.param('file'));
    if (!asset || asset.path !== c.req.path) return c.notFound();
    return c.body(new Uint8Array(asset.body), 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ...SECURITY_HEADERS,
    });
  });
  return app;
}
