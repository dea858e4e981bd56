import { describe, expect, it } from 'vitest';
import { loadKeyring } from '../../../../agent/kit/keyring/keyring.ts';
import { ChainReader } from '../../../../agent/kit/keyring/sealed-line.ts';
import { LineSealer, openLine } from '../../../../exporters/file/line-sealer.ts';
import { rotate, tempKeyring } from '../../../support/encrypt-keyring.ts';

const line = (text: string) => Buffer.from(text);

describe('file exporter line sealer', () => {
  it('takes a rotated key without a restart: at the next file, or within the check interval', () => {
    const { dir, kid } = tempKeyring();
    let now = 0;
    const sealer = new LineSealer(dir, () => now);
    const first = sealer.seal(line('a'), true);
    expect(first.startsWith(`enc:v2:${kid}:`)).toBe(true);
    const next = rotate(dir);
    now += 1000;
    const second = sealer.seal(line('b'), false);
    expect(second.startsWith(`enc:v2:${kid}:`)).toBe(true);
    now += 5000;
    const third = sealer.seal(line('c'), false);
    expect(third.startsWith(`enc:v2:${next}:`)).toBe(true);
    const newer = rotate(dir);
    expect(sealer.seal(line('d'), true).startsWith(`enc:v2:${newer}:`)).toBe(true);

    // The chain goes on across the key change: the three lines of the first file open in order.
    const load = loadKeyring(dir);
    if (!load.ok) throw new Error(load.reason);
    const reader = new ChainReader();
    expect([first, second, third].map((l) => openLine(l, load.keyring.keys, reader))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
