import { describe, expect, it } from 'vitest';
import { matchesEntityTag, versionAssetUrls } from '../../src/api/console-page-routes.js';
import type { FormField } from '../../src/bot/bot-command.js';
import { buildFormCard } from '../../src/bot/cards.js';
import { daysCountedThrough, packageName, packageUsageFigures, roundTo } from '../../src/domain/dashboard-figures.js';

const FIELDS: FormField[] = [
  { id: 'name', label: 'Customer name', required: true },
  { id: 'packages', label: 'Packages', required: true, multiple: true, choices: [{ title: 'Webex Meetings', value: 'webex_meetings' }] },
  { id: 'zip', label: 'Postal code' },
];
type Item = { type: string; id?: string; label?: string; isRequired?: boolean; text?: string };

describe('form cards', () => {
  it('marks required inputs with isRequired only: the renderer adds the one "*" (was "Customer name * *")', () => {
    const body = buildFormCard('provision customer', 'Provision', FIELDS, {}, []).body as Item[];
    const inputs = body.filter((b) => b.id);
    expect(inputs.map((i) => [i.label, i.isRequired])).toEqual([
      ['Customer name', true],
      ['Packages', true],
      ['Postal code', false],
    ]);
    expect(JSON.stringify(body)).not.toContain('*');
  });

  it('puts each problem under the input it is about, and the others above the inputs', () => {
    const body = buildFormCard('provision customer', 'Provision', FIELDS, { name: 'Brook' }, [
      { field: 'zip', message: 'give a postal code' },
      { message: 'no onboarding template' },
      'plain problem',
    ]).body as Item[];
    const zipAt = body.findIndex((b) => b.id === 'zip');
    expect(body[zipAt + 1]).toMatchObject({ type: 'TextBlock', text: 'give a postal code', color: 'Attention' });
    expect(body[1]).toMatchObject({ type: 'TextBlock', text: 'no onboarding template\nplain problem' });
    expect(body.find((b) => b.id === 'name')).toMatchObject({ value: 'Brook' });
  });
});

describe('static asset versions', () => {
  it.each([
    ['<script src="/console/app.js"></script>', '<script src="/console/app.js?v=A1"></script>'],
    ['<link rel="stylesheet" href="/console/console.css">', '<link rel="stylesheet" href="/console/console.css?v=C1">'],
    ['<a href="/auth/login">', '<a href="/auth/login">'],
    ['<script src="/console/unknown.js"></script>', '<script src="/console/unknown.js"></script>'],
    ['<script src="/console/app.js?v=old"></script>', '<script src="/console/app.js?v=old"></script>'],
  ])('%s → %s', (html, expected) => {
    expect(versionAssetUrls(html, (f) => ({ 'app.js': 'A1', 'console.css': 'C1' })[f])).toBe(expected);
  });

  it.each([
    [undefined, false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
  ])('If-None-Match %s matches "abc": %s', (header, expected) => {
    expect(matchesEntityTag(header, '"abc"')).toBe(expected);
  });
});

describe('dashboard figures', () => {
  it.each([
    // units are 1/10,000 licence-day
    [55_000, 3, 5.5, 1.8],
    [880_471, 30, 88, 2.9],
    [880_471, 0, 88, null],
    [12_345, 1, 1.2, 1.2],
    [2_250, 1, 0.2, 0.2],
    [22_500, 10, 2.3, 0.2],
    [0, 5, 0, 0],
  ])('%i units over %i days: %s licence-days, %s on average', (units, days, licenceDays, average) => {
    expect(packageUsageFigures(units, days)).toEqual({ licenceDays, averageLicences: average });
  });

  it.each([
    [2.25, 1, 2.3],
    [1.005, 2, 1.01],
    [-2.25, 1, -2.3],
    [88.0471, 1, 88],
  ])('roundTo(%s, %i) = %s', (value, decimals, expected) => {
    expect(roundTo(value, decimals)).toBe(expected);
  });

  it.each([
    ['webex_meetings', 'Webex Meetings'],
    ['cx_essentials', 'Customer Assist'],
    ['retired_package', 'retired_package'],
  ])('package %s is shown as %s', (id, name) => {
    expect(packageName(id)).toBe(name);
  });

  it.each([
    [null, 0],
    ['2026-07-09', 9],
    ['2026-02-28', 28],
  ])('through %s counts %i days', (through, days) => {
    expect(daysCountedThrough(through)).toBe(days);
  });
});
