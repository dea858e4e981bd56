// The checkpoint's JSON is written as bytes (json-bytes.ts): what it writes must read back as the
// JSON of the same values.
import { describe, expect, it } from 'vitest';
import { JsonBytes, utf8 } from '../../../../../receivers/filelog/checkpoint/json-bytes.ts';

const read = (j: JsonBytes) => j.take().toString('utf8');

describe('JsonBytes', () => {
  it('writes numbers as JSON.stringify does', () => {
    const values = [0, 7, 9, 10, 99, 100, 1_234_567, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, 1.5, 2 ** 60];
    const j = new JsonBytes(64);
    j.byte(91);
    values.forEach((v, i) => {
      if (i > 0) j.byte(44);
      j.number(v);
    });
    j.byte(93);
    expect(JSON.parse(read(j))).toEqual(values);
  });

  it('writes text as UTF-8, ASCII and bytes as they are, growing as needed', () => {
    const j = new JsonBytes(64);
    const s = JSON.stringify('pod "ä" \\ 日本 🚀'.repeat(20));
    j.bytes(utf8('{"a":'));
    j.text(s);
    j.bytes(utf8(',"h":"'));
    j.ascii('00010f10abff');
    j.bytes(utf8('"}'));
    expect(JSON.parse(read(j))).toEqual({ a: JSON.parse(s), h: '00010f10abff' });
    // take() leaves the writer empty, reset() too.
    j.text('x');
    j.reset();
    j.text('"y"');
    expect(read(j)).toBe('"y"');
  });
});
