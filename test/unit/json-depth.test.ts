import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../src/domain/json-depth.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('exceedsJsonDepth', () => {
  it.each([
    ['a scalar', '42', 0, false],
    ['an empty object at limit 1', '{}', 1, false],
    ['an empty object at limit 0', '{}', 0, true],
    ['exactly at the limit (arrays)', nested(3), 3, false],
    ['one over the limit (arrays)', nested(4), 3, true],
    ['exactly at the limit (objects)', nestedObjects(3), 3, false],
    ['one over the limit (objects)', nestedObjects(4), 3, true],
    ['siblings do not add up', '[[1],[2],[3],{"a":[4]}]', 3, false],
    ['brackets inside strings do not count', '{"a":"[[[[{{{{"}', 1, false],
    ['closing brackets inside strings do not count', '[[["]]]]]]"]]]', 3, false],
    ['an escaped quote does not end the string', '{"a":"\\"[[[[[["}', 1, false],
    ['an escaped backslash ends before the quote', '{"a":"\\\\"}', 1, false],
    ['after an escaped backslash, brackets count again', '["\\\\",[[1]]]', 2, true],
    ['unicode escapes', '["\\u005b\\u005b\\u005b"]', 1, false],
    ['keys with brackets', '{"[[[[": {"{{{{": 1}}', 2, false],
    ['5,000 levels', nested(5000), 32, true],
    ['default limit: at it', nested(MAX_JSON_DEPTH), undefined, false],
    ['default limit: one over', nested(MAX_JSON_DEPTH + 1), undefined, true],
  ] as const)('%s', (_name, text, limit, expected) => {
    expect(limit === undefined ? exceedsJsonDepth(text) : exceedsJsonDepth(text, limit)).toBe(expected);
  });

  it('scans a huge nesting without recursion', () => {
    expect(exceedsJsonDepth(nested(1_000_000))).toBe(true);
  });
});
