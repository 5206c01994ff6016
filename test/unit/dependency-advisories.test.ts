import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/** The version of `name` that the package at `from` loads (what its own `require` resolves to). */
function versionSeenBy(from: string, name: string): string {
  const fromRequire = createRequire(require.resolve(`${from}/package.json`));
  return (JSON.parse(readFileSync(fromRequire.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

const atLeast = (version: string, minimum: string) => {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** docs/architecture.md "Known advisories in the Webex SDK's tree": each fixed version `overrides` pins, as the SDK loads it. */
const FIXED: { from: string; name: string; minimum: string; advisory: string }[] = [
  { from: '@webex/webex-core', name: 'jsonwebtoken', minimum: '9.0.0', advisory: 'CVE-2022-23539/23540/23541' },
  { from: 'request', name: 'tough-cookie', minimum: '4.1.3', advisory: 'CVE-2023-26136' },
  { from: 'request', name: 'form-data', minimum: '2.5.4', advisory: 'CVE-2025-7783' },
  { from: 'request', name: 'qs', minimum: '6.14.1', advisory: 'CVE-2025-15284' },
];

describe("the Webex SDK's dependencies", () => {
  it.each(FIXED)('load $name at or past its fix for $advisory', ({ from, name, minimum }) => {
    expect(atLeast(versionSeenBy(from, name), minimum), `${name}@${versionSeenBy(from, name)} under ${from}`).toBe(true);
  });
});
