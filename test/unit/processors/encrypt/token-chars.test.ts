// The character tests of the covering code (isTokenAt's word characters, coverBody's escapable
// values) are hand-written loops over character codes; these tests hold them to the character
// classes they stand for, written here as RegExps, over every UTF-16 code unit.
import { describe, expect, it } from 'vitest';
import { coverBody } from '../../../../processors/encrypt/body-cover.ts';
import { isTokenAt } from '../../../../processors/encrypt/pseudonym-cover.ts';

const WORD_CHAR = /[A-Za-z0-9_@%+-]/;
const ALNUM = /[A-Za-z0-9]/;
const ESCAPABLE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

function expectedToken(text: string, at: number, end: number): boolean {
  return !(
    WORD_CHAR.test(text[at - 1] ?? '') ||
    WORD_CHAR.test(text[end] ?? '') ||
    (text[at - 1] === '.' && ALNUM.test(text[at - 2] ?? '')) ||
    (text[end] === '.' && ALNUM.test(text[end + 1] ?? ''))
  );
}

const VALUE = '203.0.113.9';

describe('isTokenAt', () => {
  it('agrees with the word-character class for every code unit on either side', () => {
    let tokens = 0;
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [`${ch}${VALUE}`, `${VALUE}${ch}`, `x${ch}${VALUE}${ch}x`]) {
        const at = text.indexOf(VALUE);
        const got = isTokenAt(text, at, at + VALUE.length);
        if (got !== expectedToken(text, at, at + VALUE.length)) wrong.push(JSON.stringify(text));
        if (got) tokens++;
      }
    }
    expect(wrong).toEqual([]);
    // Both answers occur: the class is neither everything nor nothing.
    expect(tokens).toBeGreaterThan(60_000);
    expect(tokens).toBeLessThan(3 * 0x10000);
  });

  it("treats a '.' as continuing only next to an alphanumeric, and the text's edges as ends", () => {
    for (let c = 0; c <= 0x17f; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [
        `${ch}.${VALUE}`,
        `${VALUE}.${ch}`,
        `.${VALUE}.`,
        VALUE,
        `${ch}${ch}.${VALUE}.${ch}`,
      ]) {
        const at = text.indexOf(VALUE);
        expect(isTokenAt(text, at, at + VALUE.length), JSON.stringify(text)).toBe(
          expectedToken(text, at, at + VALUE.length),
        );
      }
    }
  });
});

describe('coverBody escaped values', () => {
  it('seals the body for a value holding any character outside printable ASCII, a quote or a backslash', () => {
    let escaped = 0;
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const value = `user${String.fromCharCode(c)}name`;
      const body = `GET /a "${value}" 200`;
      const cover = coverBody(body, [{ value, text: '[enc]', field: 0, token: false }]);
      const isEscaped = !cover.ok && cover.reason === 'escaped';
      if (isEscaped !== ESCAPABLE.test(value)) wrong.push(c);
      if (isEscaped) escaped++;
    }
    expect(wrong).toEqual([]);
    expect(escaped).toBe(0x10000 - (0x7e - 0x20 + 1 - 2));
  });
});
