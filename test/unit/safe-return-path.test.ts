import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/domain/console-sessions.js';

describe('safeReturnPath: a sign-in returns to a page of this site only', () => {
  it.each([
    ['/#customers', '/#customers'],
    ['/console?tab=billing#x', '/console?tab=billing#x'],
    ['/a/../b', '/b'],
    ['/caf\u00e9', '/caf%C3%A9'],
  ])('keeps the same-origin path %j (normalised to %j)', (given, kept) => {
    expect(safeReturnPath(given)).toBe(kept);
  });

  it.each([
    undefined,
    '',
    'https://evil.example/steal',
    '//evil.example/x',
    '/\t/evil.example',
    '/\n/x',
    '/\r\nSet-Cookie: a=b',
    '/\u0000x',
    '/\u0085x',
    '/\\evil.example',
    '/.//evil.example',
    '/./\u0009/evil.example',
    'evil.example',
  ])('refuses %j: the console home instead', (given) => {
    expect(safeReturnPath(given)).toBe('/');
  });

  it('refuses a path longer than any page of the console', () => {
    expect(safeReturnPath(`/${'a'.repeat(3_000)}`)).toBe('/');
  });

  it('never answers a value a Location header cannot carry', () => {
    for (let code = 0; code < 0x3000; code += 1) {
      const kept = safeReturnPath(`/x${String.fromCharCode(code)}y`);
      expect(kept, `U+${code.toString(16)}`).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
    }
  });
});
