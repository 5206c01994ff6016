import { describe, expect, it } from 'vitest';
import { createUtf8Checker, describeUtf8Fault, findUtf8Fault } from '../../src/domain/utf8-check.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('the UTF-8 check of uploaded files', () => {
  it('passes UTF-8, with or without a byte-order mark, in any script', () => {
    expect(findUtf8Fault(bytes([0xef, 0xbb, 0xbf], 'name,city\nZoë,Zürich\n株式会社,東京\n🙂,x\n'))).toBeUndefined();
  });

  it('names the line and the byte within it of the first bad sequence (Latin-1 é)', () => {
    const fault = findUtf8Fault(bytes('name,city\nAcme,Paris\nCaf', [0xe9], ',Lyon\n'));
    expect(fault).toEqual({ line: 3, byte: 4, bytes: '0xE9' });
    expect(describeUtf8Fault(fault!)).toMatch(/^line 3, byte 4: not UTF-8 \(0xE9\); save the file as UTF-8/);
  });

  it.each([
    ['an overlong slash', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a stray continuation byte', [0x80]],
    ['a lead byte cut short by a comma', [0xe2, 0x82, 0x2c]],
  ])('refuses %s', (_what, seq) => {
    expect(findUtf8Fault(bytes('ok\nx', seq, '\n'))).toMatchObject({ line: 2, byte: 2 });
  });

  it('finds a fault across pieces, and a sequence the file ends inside', () => {
    const checker = createUtf8Checker();
    const euro = [0xe2, 0x82, 0xac];
    expect(checker.push(bytes('a\n', euro.slice(0, 1)))).toBeUndefined();
    expect(checker.push(bytes(euro.slice(1), 'b\n', [0xe2]))).toBeUndefined();
    expect(checker.end()).toEqual({ line: 3, byte: 1, bytes: '0xE2' });
  });

  it('finds the same fault however the file is cut into pieces, and only where the platform decoder refuses', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const alphabet = [...bytes('a,\n'), ...bytes('é'), ...bytes('€'), ...bytes('🙂'), 0x80, 0xe9, 0xed, 0xf4, 0xc0];
    for (let round = 0; round < 500; round++) {
      const file = Uint8Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]!);
      const whole = findUtf8Fault(file);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(file);
      } catch {
        valid = false;
      }
      expect(whole === undefined, `round ${round}`).toBe(valid);
      const checker = createUtf8Checker();
      let fault: ReturnType<typeof findUtf8Fault>;
      for (let at = 0; at < file.length && !fault; ) {
        const next = at + 1 + Math.floor(random() * 5);
        fault = checker.push(file.subarray(at, next));
        at = next;
      }
      expect(fault ?? checker.end(), `round ${round}`).toEqual(whole);
    }
  });
});
