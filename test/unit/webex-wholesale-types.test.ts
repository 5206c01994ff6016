import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateWebexTypes, pruneToPaths, WEBEX_TYPES } from '../../scripts/generate-webex-types.js';

describe('types generated from Cisco’s Webex Wholesale OpenAPI document', () => {
  it('the committed src/webex/wholesale-api.d.ts is what `npm run generate:webex` writes now', async () => {
    const fresh = await generateWebexTypes();
    // A hand edit, or a changed document without a regeneration, fails here.
    expect(readFileSync(WEBEX_TYPES, 'utf8')).toBe(fresh);
  }, 60_000);

  it('keeps the components the paths reach, transitively, and drops the rest', () => {
    const doc = {
      paths: {
        '/a': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } },
      },
      components: {
        schemas: {
          A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
          B: { type: 'string' },
          Unused: { type: 'number' },
        },
      },
    };
    expect(Object.keys((pruneToPaths(doc).components as { schemas: object }).schemas)).toEqual(['A', 'B']);
  });
});
