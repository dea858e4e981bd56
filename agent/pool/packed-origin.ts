// A joined batch's parts cross to the worker as columns, not as one object per part: typed arrays
// for their sizes, observed times and decoders, and each part's source (resource and attributes)
// packed into one JSON string, made once per source on the main thread and parsed once per source
// by each worker (then only looked up). Cloned as objects, 1000 parts (1000 files appended once a
// second) were ~1000 objects and ~12,000 strings per task to serialise and rebuild: 2.5 % of the
// main thread's samples and 5 % of the workers' (perf, bench/filelog-idle.bench.ts); as packed
// strings in part objects, still 2.8 % and 2.4 %, the objects' properties being the slow part.
import type { BatchPart, DecoderRef } from '../component.ts';
import type { Attributes, AttributeValue } from '../pipeline/record.ts';

/** The parts of a joined batch as they cross to the worker. */
export interface WireParts {
  /** Each part's length in the batch's data. */
  bytes: Float64Array;
  observedTimeUnixNano: BigInt64Array;
  /** Each part's decoder, as an index into `decoders`; -1 for none. */
  decoder: Int32Array;
  decoders: DecoderRef[];
  /** Each part's origin: its packed JSON, or an index into `origins` when JSON cannot carry it. */
  packed: (string | number)[];
  origins: Origin[];
}

export interface Origin {
  resource: Attributes;
  attributes: Attributes;
}

/** One part, read back in the worker. */
export interface Part extends Origin {
  bytes: number;
  observedTimeUnixNano: bigint;
  decoder: DecoderRef | undefined;
}

/** Packs by the objects' identity: a receiver keeps one resource and attributes object per source. */
const packedOf = new WeakMap<Attributes, WeakMap<Attributes, string | null>>();

/** The parts of a joined batch, ready to post. */
export function wireParts(parts: BatchPart[]): WireParts {
  const n = parts.length;
  const w: WireParts = {
    bytes: new Float64Array(n),
    observedTimeUnixNano: new BigInt64Array(n),
    decoder: new Int32Array(n),
    decoders: [],
    packed: new Array(n),
    origins: [],
  };
  let lastDecoder: DecoderRef | undefined;
  let lastIndex = -1;
  for (let i = 0; i < n; i++) {
    const p = parts[i]!;
    w.bytes[i] = p.bytes;
    w.observedTimeUnixNano[i] = p.observedTimeUnixNano;
    const d = p.decoder;
    if (d !== lastDecoder) {
      lastDecoder = d;
      lastIndex = d === undefined ? -1 : w.decoders.indexOf(d);
      if (d !== undefined && lastIndex < 0) lastIndex = w.decoders.push(d) - 1;
    }
    w.decoder[i] = lastIndex;
    const packed = pack(p.resource, p.attributes);
    w.packed[i] = packed ?? w.origins.push({ resource: p.resource, attributes: p.attributes }) - 1;
  }
  return w;
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
 * Part `i`, in the worker. Its resource is a copy of its own (processors may add to a batch's
 * resource); its attributes are shared, as records get copies of them.
 */
export function partAt(w: WireParts, i: number): Part {
  const p = w.packed[i]!;
  let o: Origin;
  if (typeof p === 'number') o = w.origins[p]!;
  else {
    let known = unpacked.get(p);
    if (!known) {
      const [resource, attributes] = JSON.parse(p) as [Attributes, Attributes];
      known = { resource, attributes };
      if (unpacked.size >= UNPACKED_MAX) unpacked.clear();
      unpacked.set(p, known);
    }
    o = { resource: { ...known.resource }, attributes: known.attributes };
  }
  const d = w.decoder[i]!;
  return {
    resource: o.resource,
    attributes: o.attributes,
    bytes: w.bytes[i]!,
    observedTimeUnixNano: w.observedTimeUnixNano[i]!,
    decoder: d < 0 ? undefined : w.decoders[d],
  };
}
