import { describe, expect, it } from 'vitest';
import { toCsvLine } from '../../src/domain/csv.js';

describe('toCsvLine: RFC 4180 with spreadsheet formulas neutralised (OWASP CSV injection)', () => {
  it.each([
    [['plain', 'text'], 'plain,text'],
    [['a,b', 'say "hi"', 'two\nlines'], '"a,b","say ""hi""","two\nlines"'],
    [['=HYPERLINK("http://evil.example")'], '"\'=HYPERLINK(""http://evil.example"")"'],
    [['+cmd|calc'], "'+cmd|calc"],
    [['-2+3'], "'-2+3"],
    [['@SUM(A1)'], "'@SUM(A1)"],
    [['\tTAB'], "'\tTAB"],
    [['\rCR'], '"\'\rCR"'],
    [['-1.5', '+2', 42, -7], '-1.5,+2,42,-7'],
    [[null, undefined, ''], ',,'],
  ])('%j → %j', (fields, line) => {
    expect(toCsvLine(fields)).toBe(`${line}\r\n`);
  });
});
