// A joined batch's parts cross to the worker as columns, not as one object per part: typed arrays
// for their sizes, observed times, decoders and origins, and each source's resource and attributes
// packed once into a JSON string with a number of its own, parsed once per source by each worker
// and then looked up by that number. Cloning one object per part cost several percent of both
// threads with 1000 files (bench/RESULTS.md, filelog idle).
import type { BatchPart, DecoderRef } from '../component.ts';
import type { Attributes, AttributeValue } from './record.ts';

/** The parts of a joined batch as they cross to the worker. */
export interface WireParts {
  /** Each part's length in the batch's data. */
  bytes: Float64Array;
  observedTimeUnixNano: BigInt64Array;
  /** Each part's decoder, as an index into `decoders`; -1 for none. */
  decoder: Int32Array;
  decoders: DecoderRef[];
  /** Each part's origin: its packed number (PackedOrigin.id), or -1 - its index in `origins`. */
  origin: Float64Array;
  /** Each packed part's JSON (for a worker that has not parsed it yet); '' for the others. */
  text: string[];
  /** Origins JSON cannot carry (bigint, bytes, NaN, arrays), as they are. */
  origins: Origin[];
}

/** A source's resource and attributes as JSON, with a number no other JSON gets in this process. */
export interface PackedOrigin {
  readonly id: number;
  readonly text: string;
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
const packedOf = new WeakMap<Attributes, WeakMap<Attributes, PackedOrigin | null>>();
let nextId = 0;

/** The parts of a joined batch, ready to post. */
export function wireParts(parts: BatchPart[]): WireParts {
  const n = parts.length;
  const w: WireParts = {
    bytes: new Float64Array(n),
    observedTimeUnixNano: new BigInt64Array(n),
    decoder: new Int32Array(n),
    decoders: [],
    origin: new Float64Array(n),
    text: new Array(n),
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
    const packed = p.packed !== undefined ? p.packed : packOrigin(p.resource, p.attributes);
    if (packed) {
      w.origin[i] = packed.id;
      w.text[i] = packed.text;
    } else {
      w.origin[i] = -w.origins.push({ resource: p.resource, attributes: p.attributes });
      w.text[i] = '';
    }
  }
  return w;
}

/**
 * The source packed, or null when JSON cannot carry it. A receiver that keeps one origin per source
 * packs it once and passes it with its parts (BatchOrigin.packed), sparing two WeakMap lookups a part.
 */
export function packOrigin(resource: Attributes, attributes: Attributes): PackedOrigin | null {
  let byAttributes = packedOf.get(resource);
  if (!byAttributes) {
    byAttributes = new WeakMap();
    packedOf.set(resource, byAttributes);
  }
  let packed = byAttributes.get(attributes);
  if (packed === undefined) {
    // JSON keeps strings, booleans and finite numbers as they are; anything else goes as objects.
    packed =
      plain(resource) && plain(attributes)
        ? { id: nextId++, text: JSON.stringify([resource, attributes]) }
        : null;
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

/** In a worker: the origins unpacked so far, by their number; bounded like the sources on a node. */
const unpacked = new Map<number, Origin>();
const UNPACKED_MAX = 20_000;

/**
 * Part `i`, in the worker. Its resource is a copy of its own (processors may add to a batch's
 * resource); its attributes are shared, as records get copies of them.
 */
export function partAt(w: WireParts, i: number): Part {
  const id = w.origin[i]!;
  let o: Origin;
  if (id < 0) o = w.origins[-1 - id]!;
  else {
    let known = unpacked.get(id);
    if (!known) {
      const [resource, attributes] = JSON.parse(w.text[i]!) as [Attributes, Attributes];
      known = { resource, attributes };
      if (unpacked.size >= UNPACKED_MAX) unpacked.clear();
      unpacked.set(id, known);
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
