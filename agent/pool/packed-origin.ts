// A joined batch's parts cross to the worker with their source's resource and attributes packed
// into one JSON string, made once per source on the main thread and read once per source by each
// worker (then only looked up). Cloned as objects, 1000 parts (1000 files appended once a second)
// were ~1000 objects and ~12,000 strings per task to serialise and rebuild: 2.5 % of the main
// thread's samples and 5 % of the workers' (perf, bench/filelog-idle.bench.ts). A string is one
// copy each way.
import type { BatchPart } from '../component.ts';
import type { Attributes, AttributeValue } from '../pipeline/record.ts';

/** A part as it crosses to the worker: its origin packed when it can be, else as it is. */
export type WirePart = BatchPart | PackedPart;

export interface PackedPart extends Omit<BatchPart, 'resource' | 'attributes'> {
  /** JSON of [resource, attributes]. */
  packed: string;
}

export interface Origin {
  resource: Attributes;
  attributes: Attributes;
}

/** Packs by the objects' identity: a receiver keeps one resource and attributes object per source. */
const packedOf = new WeakMap<Attributes, WeakMap<Attributes, string | null>>();

/** The parts of a joined batch, ready to post. */
export function wireParts(parts: BatchPart[]): WirePart[] {
  const out: WirePart[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const packed = pack(p.resource, p.attributes);
    if (packed === null) {
      out[i] = p;
      continue;
    }
    const w: PackedPart = { packed, bytes: p.bytes, observedTimeUnixNano: p.observedTimeUnixNano };
    if (p.decoder) w.decoder = p.decoder;
    out[i] = w;
  }
  return out;
}

function pack(resource: Attributes, attributes: Attributes): string | null {
  let byAttributes = packedOf.get(resource);
  if (!byAttributes) {
    byAttributes = new WeakMap();
    packedOf.set(resource, byAttributes);
  }
  let packed = byAttributes.get(attributes);
  if (packed === undefined) {
    // JSON keeps strings, booleans and finite numbers as they are; anything else goes as objects.
    packed = plain(resource) && plain(attributes) ? JSON.stringify([resource, attributes]) : null;
    byAttributes.set(attributes, packed);
  }
  return packed;
}

function plain(a: Attributes): boolean {
  for (const k in a) if (!plainValue(a[k])) return false;
  return true;
}

function plainValue(v: AttributeValue | undefined): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** In a worker: the origins unpacked so far, by their packed text; bounded like the sources on a node. */
const unpacked = new Map<string, Origin>();
const UNPACKED_MAX = 20_000;

/**
 * The part's origin. The resource is a fresh shallow copy each time (processors may add to a
 * batch's resource); the attributes are shared, as records get copies of them.
 */
export function originOf(part: WirePart): Origin {
  if (!('packed' in part)) return part;
  let o = unpacked.get(part.packed);
  if (!o) {
    const [resource, attributes] = JSON.parse(part.packed) as [Attributes, Attributes];
    o = { resource, attributes };
    if (unpacked.size >= UNPACKED_MAX) unpacked.clear();
    unpacked.set(part.packed, o);
  }
  return { resource: { ...o.resource }, attributes: o.attributes };
}
