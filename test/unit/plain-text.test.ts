import { describe, expect, it } from 'vitest';
import { isPlainText } from '../../src/domain/plain-text.js';

describe('isPlainText: names and identifiers hold no control or bidirectional-override characters', () => {
  it.each([
    ['Acme Telecom', true],
    ['Société Générale — Zürich', true],
    ['שלום עולם', true],
    ['株式会社', true],
    ['crm-1001_A.b', true],
    ['evil\u202Etxt.exe', false],
    ['left\u202Aembed', false],
    ['isolate\u2066x\u2069', false],
    ['mark\u200Fx', false],
    ['arabic mark\u061C', false],
    ['escape\u001b[31mred', false],
    ['tab\tname', false],
    ['line\nbreak', false],
    ['del\u007f', false],
    ['c1\u0085', false],
    ['zero\u200Bwidth', false],
    ['joiner\u200Dx', false],
    ['non-joiner\u200Cx', false],
    ['word\u2060joiner', false],
    ['invisible\u2062times', false],
    ['inner\uFEFFbom', false],
    ['\uFEFFleading bom', false],
    ['nbsp\u00A0is visible space', true],
  ])('%j → %s', (text, plain) => {
    expect(isPlainText(text)).toBe(plain);
  });
});
