// A joined batch's parts cross to the worker with their origin packed as one string
// (packed-origin.ts): the worker must see the same resource and attributes, a resource of its own
// per part (processors add to it), and anything JSON cannot carry must go as objects.
import { describe, expect, it } from 'vitest';
import type { BatchPart } from '../../../../agent/component.ts';
import type { Attributes } from '../../../../agent/pipeline/record.ts';
import { originOf, wireParts } from '../../../../agent/pool/packed-origin.ts';

const resource = { 'k8s.pod.name': 'web-1', 'k8s.container.restart_count': 2 };
const attributes = { 'log.file.path': '/var/log/pods/a/0.log', 'meshtail.log.truncated': true };

function part(r: BatchPart['resource'], a: BatchPart['attributes'], bytes = 10): BatchPart {
  return { resource: r, attributes: a, observedTimeUnixNano: 5n, bytes };
}

describe('packed origins', () => {
  it('packs plain origins once per source and gives the worker equal ones back', () => {
    const wire = wireParts([part(resource, attributes), part(resource, attributes, 20)]);
    expect(wire.every((w) => 'packed' in w)).toBe(true);
    expect(wire.map((w) => w.bytes)).toEqual([10, 20]);
    expect(wire.map((w) => w.observedTimeUnixNano)).toEqual([5n, 5n]);
    // Through a structured clone, as to a worker thread.
    const [a, b] = structuredClone(wire).map(originOf);
    expect(a).toEqual({ resource, attributes });
    expect(b).toEqual({ resource, attributes });
    a!.resource['k8s.node.name'] = 'n1'; // what k8s_metadata does to a batch's resource
    expect(b!.resource['k8s.node.name']).toBeUndefined();
    expect(originOf(structuredClone(wire)[0]!).resource['k8s.node.name']).toBeUndefined();
  });

  it('sends origins JSON cannot carry as they are', () => {
    const odds: Attributes[] = [
      { big: 1n },
      { bytes: new Uint8Array([1]) },
      { nan: Number.NaN },
      { list: ['a'] },
    ];
    for (const odd of odds) {
      const [w] = wireParts([part({ ...resource, ...odd }, attributes)]);
      expect('packed' in w!).toBe(false);
      expect(originOf(structuredClone(w!))).toMatchObject({ resource: { ...resource, ...odd }, attributes });
    }
  });

  it('keeps a part’s decoder reference', () => {
    const decoder = { module: 'x', options: {} };
    const [w] = wireParts([{ ...part(resource, attributes), decoder }]);
    expect(w!.decoder).toBe(decoder);
  });
});
