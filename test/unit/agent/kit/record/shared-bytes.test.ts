import { describe, expect, it } from 'vitest';
import { allocShared, releaseShared, sharedBytes } from '../../../../../agent/kit/record/shared-bytes.ts';

describe('shared batch buffers', () => {
  it('recycles a released buffer for the next batch of its size class', () => {
    const a = allocShared(200_000);
    expect(a.length).toBe(200_000);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    releaseShared(a.buffer);
    const b = allocShared(150_000);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(150_000);
    const c = allocShared(150_000);
    expect(c.buffer).not.toBe(a.buffer);
  });

  it('does not pool huge buffers or plain ArrayBuffers, and copies plain bytes once', () => {
    const huge = allocShared(5 * 1024 * 1024);
    releaseShared(huge.buffer);
    expect(allocShared(5 * 1024 * 1024).buffer).not.toBe(huge.buffer);
    const plain = new Uint8Array([1, 2, 3]);
    const shared = sharedBytes(plain);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...shared]).toEqual([1, 2, 3]);
    expect(sharedBytes(shared)).toBe(shared);
  });
});
