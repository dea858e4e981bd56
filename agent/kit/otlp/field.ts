// A message field as both encodings name it: its protobuf tag (field number and wire type, as
// varint bytes) and its OTLP/JSON key. The shape tables (shape.ts) are made of these, so a field's
// number and its name are written down once.

export type WireType = 'varint' | 'fixed64' | 'bytes' | 'fixed32';

const WIRE: Record<WireType, number> = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 };

export interface Field {
  /** The tag's varint bytes, little-endian in one number (a second byte for fields above 15). */
  readonly tag: number;
  /** `"name":` as JSON writes it first in an object, then `,"name":` after another key, and the same opening an object or a list. */
  readonly json: JsonKeys;
}

export interface JsonKeys {
  readonly first: string;
  readonly next: string;
  readonly firstObject: string;
  readonly nextObject: string;
  readonly firstList: string;
  readonly nextList: string;
}

export function field(number: number, wire: WireType, name: string): Field {
  const tag = (number << 3) | WIRE[wire];
  const bytes = tag < 0x80 ? tag : (tag & 0x7f) | 0x80 | ((tag >> 7) << 8);
  const key = `"${name}":`;
  const json = {
    first: key,
    next: `,${key}`,
    firstObject: `${key}{`,
    nextObject: `,${key}{`,
    firstList: `${key}[`,
    nextList: `,${key}[`,
  };
  return { tag: bytes, json };
}
