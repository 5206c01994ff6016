import { describe, expect, it } from 'vitest';
import { createCompactStringSet } from '../../src/domain/compact-string-set.js';

describe("the compact string set (the screening list reader's ids seen)", () => {
  it('answers exactly like a Set<string>: new members true, repeats false, across many table and byte-array growths', () => {
    const set = createCompactStringSet();
    const reference = new Set<string>();
    let seed = 11;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const pieces = ['a', 'b', 'gen-', 'é', '€', '🙂', '株式', ' ', '0', '9'];
    for (let i = 0; i < 60_000; i += 1) {
      const value = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(set.add(value)).toBe(!reference.has(value));
      reference.add(value);
    }
    expect(set.size).toBe(reference.size);
  });

  it('tells apart ids that differ only in length, case, or a byte of a multi-byte character', () => {
    const set = createCompactStringSet();
    for (const id of ['', 'a', 'aa', 'A', 'é', 'e\u0301', 'ë', '€', '🙂', '🙃']) expect(set.add(id)).toBe(true);
    for (const id of ['', 'a', 'aa', 'A', 'é', 'e\u0301', 'ë', '€', '🙂', '🙃']) expect(set.add(id)).toBe(false);
    expect(set.size).toBe(10);
  });

  it('holds an id longer than its starting byte array', () => {
    const set = createCompactStringSet();
    const long = 'x'.repeat(200_000);
    expect(set.add(long)).toBe(true);
    expect(set.add(`${long}y`)).toBe(true);
    expect(set.add(long)).toBe(false);
    expect(set.add('€'.repeat(100_000))).toBe(true);
    expect(set.add('€'.repeat(100_000))).toBe(false);
  });
});
