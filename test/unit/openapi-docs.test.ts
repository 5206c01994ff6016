import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app-env.js';
import { buildOpenApiDocument } from '../../src/api/v1-routes.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const doc = buildOpenApiDocument('http://desk.test');
const operations = () => {
  const all: { where: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) all.push({ where: `${method} ${path}`, op: op as Operation });
  for (const [name, item] of Object.entries(doc.webhooks)) all.push({ where: `webhook ${name}`, op: (item as { post: Operation }).post });
  return all;
};
const operation = (path: string, method: string) => (doc.paths[path] as Record<string, Operation> | undefined)?.[method];

// Serving /docs and the document touches neither the database nor the network: stub handles will do.
const deps = {
  db: {},
  config: loadConfig({ PUBLIC_URL: 'http://desk.test', LOG_LEVEL: 'silent' }),
  logger: pino({ level: 'silent' }),
  clock: { now: () => new Date() },
  ids: { uuid: () => '00000000-0000-4000-8000-000000000000' },
  downloadSecret: 'x',
} as unknown as AppDeps;

describe('the OpenAPI document', () => {
  it('passes `redocly lint` (rules in redocly.yaml) with no error and no warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-test-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
      const run = spawnSync(process.execPath, [cli, 'lint', file, '--config', 'redocly.yaml', '--format=json'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(run.stdout) as {
        problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
      };
      expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('groups every operation under one declared tag, none left as "default" or "Other"', () => {
    const declared = (doc as unknown as { tags: { name: string; description: string }[] }).tags.map((t) => t.name);
    expect(declared.length).toBeGreaterThan(5);
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item as Record<string, { tags?: string[] }>)) {
        expect(op.tags, `${method} ${path}`).toHaveLength(1);
        expect(declared, `${method} ${path}`).toContain(op.tags![0]);
        expect(op.tags![0], `${method} ${path}`).not.toBe('Other');
      }
  });

  it('names every operation with a unique, camelCase, verb-first operationId', () => {
    const ids = operations().map(({ where, op }) => {
      expect(op.operationId, where).toMatch(
        /^(list|get|create|update|delete|validate|put|receive|replay|regenerate|issue|load|approve|reject|record|send|read|download)[A-Z][A-Za-z]*$/,
      );
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('groups every operation under one declared, described tag, and declares no tag it does not use', () => {
    const declared = doc.tags.map((t) => t.name);
    for (const t of doc.tags) expect(t.description.length, t.name).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const { where, op } of operations()) {
      expect(op.tags, where).toHaveLength(1);
      expect(declared, where).toContain(op.tags![0]);
      used.add(op.tags![0]!);
    }
    expect(declared.filter((name) => !used.has(name))).toEqual([]);
    expect(operation('/wholesale/customers', 'post')?.tags).toEqual(['Customers']);
    expect(operation('/billing/invoices/{number}', 'get')?.tags).toEqual(['Invoices and price book']);
    expect(operation('/tasks/retry', 'post')?.tags).toEqual(['Held and failed tasks']);
  });

  it('declares how every operation is authenticated: bearer, the webhook signature, or the signed link', () => {
    for (const { where, op } of operations()) expect(op.security, where).toBeDefined();
    for (const [path, method] of [
      ['/console/messages', 'post'],
      ['/console/dashboard', 'get'],
      ['/console/inbox', 'get'],
    ] as const)
      expect(operation(path, method)?.security).toEqual([{ bearer: [] }]);
    expect(operation('/events', 'post')?.security).toEqual([{ webhookSignature: [] }]);
    expect(doc.components.securitySchemes.webhookSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'Webhook-Signature' });

    const download = operation('/downloads/billing-reports/{id}', 'get');
    expect(download?.security).toEqual([]);
    expect(download?.parameters?.filter((p) => p.in === 'query' && p.required).map((p) => p.name)).toEqual(['expires', 'signature']);
    expect(Object.keys(download?.responses['200']?.content ?? {})).toEqual(['text/csv']);
  });
});

describe('the API reference at /docs', () => {
  const app = createApp(deps);

  it('answers a page under a strict CSP whose scripts and styles all load, with long-lived caching', async () => {
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\son\w+=/); // no inline handlers

    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] as string);
    const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    expect(styles.length).toBeGreaterThanOrEqual(1);
    for (const [urls, type] of [
      [scripts, /^text\/javascript/],
      [styles, /^text\/css/],
    ] as const)
      for (const url of urls) {
        const asset = await app.request(url);
        expect(asset.status, url).toBe(200);
        expect(asset.headers.get('content-type'), url).toMatch(type);
        expect(asset.headers.get('cache-control'), url).toContain('immutable');
        expect(asset.headers.get('x-content-type-options'), url).toBe('nosniff');
        expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
      }
    const init = await (await app.request(scripts.at(-1) as string)).text();
    expect(init).toContain("'/v1/openapi.json'");
  });

  it('points at a document the service serves', async () => {
    const res = await app.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('refuses an asset URL whose content hash is not the current one', async () => {
    expect((await app.request('/docs/assets/0000000000000000/swagger-ui-bundle.js')).status).toBe(404);
  });
});
