import { describe, expect, it } from 'vitest';
import { createCsvSplitter, CsvSyntaxError } from '../../src/domain/csv-records.js';

/** Every record of `text` fed `size` characters at a time. */
function split(text: string, size: number, max = 1_000) {
  const s = createCsvSplitter(max);
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  out.push(...s.end());
  return out.map((r) => [r.line, ...r.fields]);
}

describe('CSV records as text arrives', () => {
  const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""",3\r\n\r\n"two\r\nlines",,\nlast,"",z';
  it('splits plain and quoted lines alike, whatever the pieces, counting physical lines', () => {
    for (const size of [1, 2, 5, 1000]) {
      expect(split(text, size)).toEqual([
        [1, 'a', 'b', 'c'],
        [2, 'x, y', 'say "hi"', '3'],
        [5, 'two\r\nlines', '', ''],
        [6, 'last', '', 'z'],
      ]);
    }
  });

  it.each([
    ['a quote never closed', 'a,b\n"open,c\n', /^Quote Not Closed/, 2],
    ['a quote inside an unquoted field', 'a,b\nx"y,c\n', /^Invalid Opening Quote/, 2],
    ['text after a closing quote', 'a,b\n"x"y,c\n', /^Invalid Closing Quote/, 2],
    ['a line past the limit', `a,b\n${'x'.repeat(50)}\n`, /longer than 20 characters/, 2],
  ])('refuses %s, naming the line', (_name, bad, message, line) => {
    for (const size of [1, 1000]) {
      let error: unknown;
      try {
        split(bad, size, 20);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).message).toMatch(message);
      expect((error as CsvSyntaxError).lines).toBe(line);
    }
  });
});
