import { describe, expect, it } from 'vitest';
import { closest } from '../../src/bot/did-you-mean.js';
import { parseMonth } from '../../src/bot/parse-month.js';
import { escapeMarkdown, splitMarkdown } from '../../src/bot/replies.js';
import { readPairs, tokenize } from '../../src/bot/tokenize.js';

describe('tokenize', () => {
  it.each([
    ['provision customer Acme', ['provision', 'customer', 'Acme']],
    ['status "Acme Dental Group"', ['status', 'Acme Dental Group']],
    ["status 'O Brien'", ['status', 'O Brien']],
    ['status \u201CSmart Quotes Inc\u201D', ['status', 'Smart Quotes Inc']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['reject x "unclosed reason', ['reject', 'x', 'unclosed reason']],
    ['name ""', ['name', '']],
    ['', []],
  ])('%j → %j', (text, tokens) => expect(tokenize(text)).toEqual(tokens));
});

describe('readPairs', () => {
  it('reads keyword values up to the next keyword, case-insensitively', () => {
    expect(
      readPairs(
        ['Acme', 'Dental', 'EMAIL', 'a@b.example', 'country', 'US', 'packages', 'webex_calling,webex_meetings'],
        ['email', 'country', 'packages'],
      ),
    ).toEqual({
      positional: ['Acme', 'Dental'],
      pairs: { email: 'a@b.example', country: 'US', packages: 'webex_calling,webex_meetings' },
      repeated: [],
    });
    expect(readPairs(['status', 'x', 'status', 'y'], ['status']).repeated).toEqual(['status']);
  });
});

describe('parseMonth', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  it.each([
    ['March', { year: 2026, month: 3 }],
    ['march 2025', { year: 2025, month: 3 }],
    ['Mar', { year: 2026, month: 3 }],
    ['sept', { year: 2025, month: 9 }],
    ['December', { year: 2025, month: 12 }],
    ['June', { year: 2026, month: 6 }],
    ['2026-03', { year: 2026, month: 3 }],
    ['last month', { year: 2026, month: 5 }],
    ['LAST   MONTH', { year: 2026, month: 5 }],
    ['this month', { year: 2026, month: 6 }],
  ])('%j → %j', (input, month) => expect(parseMonth(input, now)).toEqual(month));
  it.each(['', 'ju', 'Marchy', '2026-13', '2026-3', 'next month', 'march twenty', '13'])('%j is not a month', (input) =>
    expect(parseMonth(input, now)).toBeUndefined(),
  );
  it('last month in January is December of the year before', () =>
    expect(parseMonth('last month', new Date('2026-01-10T00:00:00Z'))).toEqual({ year: 2025, month: 12 }));
});

describe('closest', () => {
  const names = ['customers', 'status', 'billing report', 'review queue', 'help'];
  it.each([
    ['custmers', 'customers'],
    ['stauts', 'status'],
    ['biling report', 'billing report'],
    ['hlep', 'help'],
    ['xyzzy', undefined],
  ])('%s → %s', (input, name) => expect(closest(input, names)).toBe(name));
});

describe('replies', () => {
  it('escapes markdown in user data', () =>
    expect(escapeMarkdown('100% *bold* [x](y) _a_')).toBe('100% \\*bold\\* \\[x\\]\\(y\\) \\_a\\_'));
  it('splits below the byte limit at line breaks, never inside a character', () => {
    const text = Array.from({ length: 500 }, (_, i) => `- customer ${i} · Zürich ✓`).join('\n');
    const parts = splitMarkdown(text, 1000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(new TextEncoder().encode(p).byteLength).toBeLessThanOrEqual(1000);
    expect(parts.join('\n')).toBe(text);
    const long = splitMarkdown('✓'.repeat(2000), 1000);
    for (const p of long) expect(new TextEncoder().encode(p).byteLength).toBeLessThanOrEqual(1000);
    expect(long.join('')).toBe('✓'.repeat(2000));
    expect(splitMarkdown('short')).toEqual(['short']);
  });
});
