import { describe, expect, it } from 'vitest';
import type { BatchOrigin, RawBatch } from '../../../../../agent/kit/component.ts';
import { BatchJoiner } from '../../../../../agent/kit/record/batch-joiner.ts';
import { allocShared } from '../../../../../agent/kit/record/shared-bytes.ts';

function origin(name: string): BatchOrigin {
  return {
    resource: { 'k8s.pod.name': name },
    attributes: { 'log.file.path': `/logs/${name}.log` },
    decoder: { module: 'file:///decoder.ts', options: { format: 'cri' } },
    observedTimeUnixNano: 7n,
  };
}

function bytes(text: string): Uint8Array {
  const b = allocShared(text.length);
  b.set(Buffer.from(text));
  return b;
}

/** A consumer that keeps batches and settles their deliveries when told. */
function consumer() {
  const got: RawBatch[] = [];
  const settle: (() => void)[] = [];
  return {
    got,
    settleAll: () => {
      for (const s of settle.splice(0)) s();
    },
    consume: async (batch: RawBatch) => {
      got.push(batch);
      return { done: new Promise<void>((r) => settle.push(r)) };
    },
  };
}

function text(b: Uint8Array): string {
  return Buffer.from(b).toString();
}

describe('BatchJoiner', () => {
  it('joins small reads into one batch whose parts keep each origin, in order', async () => {
    const next = consumer();
    const deliveries: Promise<void>[] = [];
    const joiner = new BatchJoiner(next, 1024, (d) => deliveries.push(d));
    const delivered: string[] = [];
    // A read that only joins is taken synchronously: no promise to wait for.
    expect(joiner.send(bytes('a1\na2\n'), origin('a'), () => delivered.push('a'))).toBeUndefined();
    expect(joiner.send(bytes('b1\n'), origin('b'), () => delivered.push('b'))).toBeUndefined();
    expect(next.got).toEqual([]); // nothing goes before the flush
    await joiner.flush();
    expect(next.got.length).toBe(1);
    const batch = next.got[0]!;
    expect(text(batch.data)).toBe('a1\na2\nb1\n');
    expect(batch.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(
      batch.parts!.map((p) => [p.bytes, p.resource['k8s.pod.name'], p.attributes['log.file.path']]),
    ).toEqual([
      [6, 'a', '/logs/a.log'],
      [3, 'b', '/logs/b.log'],
    ]);
    expect(batch.resource).toEqual(origin('a').resource);
    expect(delivered).toEqual([]); // not before the batch is delivered
    next.settleAll();
    await Promise.all(deliveries);
    expect(delivered).toEqual(['a', 'b']);
  });

  it('says when a read is copied at once, so that its buffer may be reused right after', async () => {
    const next = consumer();
    const joiner = new BatchJoiner(next, 64, () => {});
    expect(joiner.takesNow(16)).toBe(true);
    expect(joiner.takesNow(17)).toBe(false); // over a quarter: it would go alone, uncopied
    const scratch = Buffer.alloc(16);
    for (let i = 0; i < 4; i++) {
      expect(joiner.takesNow(16)).toBe(true);
      scratch.write(`${String(i).repeat(15)}\n`);
      joiner.send(scratch, origin(`f${i}`), () => {});
      scratch.fill(120); // reused at once, as sender.ts reuses its read buffer
    }
    expect(joiner.takesNow(16)).toBe(false); // full: the batch must go first
    await joiner.flush();
    expect(text(next.got[0]!.data)).toBe(
      '000000000000000\n111111111111111\n222222222222222\n333333333333333\n',
    );
  });

  it('sends a batch when the next read would not fit, and a single part without parts', async () => {
    const next = consumer();
    const joiner = new BatchJoiner(next, 64, () => {});
    for (let i = 0; i < 5; i++)
      await joiner.send(bytes(`${String(i).repeat(15)}\n`), origin(`f${i}`), () => {});
    await joiner.flush();
    expect(next.got.map((b) => b.data.length)).toEqual([64, 16]);
    expect(next.got[0]!.parts!.length).toBe(4);
    expect(next.got[1]!.parts).toBeUndefined();
    expect(next.got[1]!.resource['k8s.pod.name']).toBe('f4');
  });

  it('sends a read bigger than a quarter of the capacity alone, after what was joined before it', async () => {
    const next = consumer();
    const joiner = new BatchJoiner(next, 64, () => {});
    await joiner.send(bytes('small\n'), origin('s'), () => {});
    const big = bytes(`${'x'.repeat(20)}\n`);
    await joiner.send(big, origin('big'), () => {});
    expect(next.got.map((b) => text(b.data))).toEqual(['small\n', `${'x'.repeat(20)}\n`]);
    expect(next.got[1]!.data).toBe(big); // not copied
    await joiner.flush();
    expect(next.got.length).toBe(2);
  });
});
