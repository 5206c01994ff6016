import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routesWithoutContract, v1RouteFiles } from '../../scripts/lint-route-contracts.js';

describe('lint:routes (every /v1 route registered with its contract)', () => {
  it('finds the route files v1-routes.ts mounts, and none of their routes without a contract', () => {
    const files = v1RouteFiles(process.cwd());
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['src/api/v1-routes.ts', 'src/api/customer-routes.ts', 'src/api/console-customer-routes.ts']),
    );
    expect(routesWithoutContract(files)).toEqual([]);
  });

  it('fails on a route planted with app.get instead of app.openapi(contract(…)), and on a plain Hono router', () => {
    const text = readFileSync('src/api/customer-routes.ts', 'utf8').replace(
      '  return app;\n}',
      "  app.get('/:customerId/secrets', async (c) => c.json({}));\n  return app;\n}",
    );
    const planted = routesWithoutContract([{ file: 'src/api/customer-routes.ts', text }]);
    expect(planted.map((f) => f.text)).toEqual(["app.get('/:customerId/secrets', async (c) => c.json({}));"]);
    expect(planted[0]?.reason).toMatch(/without a contract/);

    const bare = routesWithoutContract([
      {
        file: 'src/api/x-routes.ts',
        text: "export const x = () => {\n  const r = new Hono<AppEnv>();\n  r.post('/', (c) => c.body(null));\n  return r;\n};",
      },
    ]);
    expect(bare.map((f) => f.line)).toEqual([2, 3]);
  });
});
