// A joined batch's parts cross to the worker as columns with their origins packed as strings
// (packed-origin.ts): through a structured clone the worker must read back every part as it was
// sent, with a resource of its own per part (processors add to it), and anything JSON cannot
// carry must go as objects.
import { describe, expect, it } from 'vitest';
import type { BatchPart } from '../../../../../agent/kit/component.ts';
import { packOrigin, partAt, wireParts } from '../../../../../agent/kit/record/packed-origin.ts';
import type { Attributes } from '../../../../../agent/kit/record/record.ts';

const resource = { 'k8s.pod.name': 'web-1', 'k8s.container.restart_count': 2 };
const attributes = { 'log.file.path': '/var/log/pods/a/0.log', 'meshtail.log.truncated': true };
const cri = { module: 'cri', options: { format: 'cri' } };
const docker = { module: 'docker' };

function part(r: Attributes, a: Attributes, bytes: number, observed: bigint, decoder?: BatchPart['decoder']) {
  const p: BatchPart = { resource: r, attributes: a, observedTimeUnixNano: observed, bytes };
  if (decoder) p.decoder = decoder;
  return p;
}

/** What a worker reads back after the structured clone of a posted task. */
function received(parts: BatchPart[]) {
  const w = structuredClone(wireParts(parts));
  return parts.map((_, i) => partAt(w, i));
}

describe('parts on the wire', () => {
  it('reads back every part as sent: size, observed time, decoder and origin', () => {
    const other = { 'k8s.pod.name': 'web-2' };
    const sent = [
      part(resource, attributes, 10, 5n, cri),
      part(other, attributes, 20, 1_795_169_700_123_456_789n, cri),
      part(resource, attributes, 30, 6n),
      part(resource, attributes, 40, 7n, docker),
    ];
    const got = received(sent);
    expect(got.map((p) => [p.bytes, p.observedTimeUnixNano])).toEqual([
      [10, 5n],
      [20, 1_795_169_700_123_456_789n],
      [30, 6n],
      [40, 7n],
    ]);
    expect(got.map((p) => p.decoder)).toEqual([cri, cri, undefined, docker]);
    expect(got.map((p) => p.resource)).toEqual([resource, other, resource, resource]);
    expect(got.every((p) => p.attributes['log.file.path'] === attributes['log.file.path'])).toBe(true);
    // Each part's resource is its own: what k8s_metadata adds to one batch's is not in another's.
    got[0]!.resource['k8s.node.name'] = 'n1';
    expect(got[2]!.resource['k8s.node.name']).toBeUndefined();
    expect(received(sent)[0]!.resource['k8s.node.name']).toBeUndefined();
  });

  it('packs a source once and sends origins JSON cannot carry as they are', () => {
    const odds: Attributes[] = [
      { big: 1n },
      { bytes: new Uint8Array([1]) },
      { nan: Number.NaN },
      { list: ['a'] },
    ];
    const sent = [
      part(resource, attributes, 1, 1n),
      ...odds.map((o) => part({ ...resource, ...o }, attributes, 1, 1n)),
    ];
    const w = wireParts(sent);
    expect(w.origin[0]).toBeGreaterThanOrEqual(0);
    expect(w.text[0]).toBe(JSON.stringify([resource, attributes]));
    expect([...w.origin.slice(1)]).toEqual([-1, -2, -3, -4]);
    const again = wireParts([sent[0]!]);
    expect(again.origin[0]).toBe(w.origin[0]); // the same number and string, made once
    expect(again.text[0]).toBe(w.text[0]);
    const got = received(sent);
    odds.forEach((o, i) => {
      expect(got[i + 1]).toMatchObject({ resource: { ...resource, ...o }, attributes });
    });
  });

  it('gives every source its own number, and uses the one a receiver packed', () => {
    const other = { 'k8s.pod.name': 'web-2' };
    const mine = packOrigin(other, attributes)!;
    const w = wireParts([
      part(resource, attributes, 1, 1n),
      { ...part(other, attributes, 2, 2n), packed: mine },
      part({ ...other }, { ...attributes }, 3, 3n), // equal, but other objects: packed anew
    ]);
    expect(w.origin[1]).toBe(mine.id);
    expect(new Set(w.origin).size).toBe(3);
    // A worker that knows a number already does not need its text again: it looks it up.
    const first = structuredClone(w);
    expect(partAt(first, 1).resource).toEqual(other);
    const second = structuredClone(w);
    second.text[1] = '[{"k8s.pod.name":"not parsed"},{}]';
    expect(partAt(second, 1).resource).toEqual(other);
    // And one that does not parses it.
    const fresh = packOrigin({ 'k8s.pod.name': 'web-3' }, attributes)!;
    const third = structuredClone(wireParts([{ ...part(other, attributes, 4, 4n), packed: fresh }]));
    expect(partAt(third, 0).resource).toEqual({ 'k8s.pod.name': 'web-3' });
  });
});
