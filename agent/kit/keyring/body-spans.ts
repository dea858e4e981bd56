// The body of a record sealed `in_place` (processors/encrypt): the body stays, each sensitive value
// in it replaced by its pseudonym or a marker, and the bundle carries the spans that restore it:
// `offset:length:field` joined by ',' — where the replacement stands in the covered body (UTF-16
// offsets, as JavaScript indexes strings), its length, and which sealed value (index in the field
// list) stood there. The covered body itself is bound by the associated data (envelope.ts).
// docs/encryption.md is the reference.

/** The field-list name of the spans: the bundle value is the spans string. */
export const BODY_SPANS_FIELD = 'body.spans';
/** What replaces a sealed value in the body: names nothing of its content. */
export const SEALED_MARKER = '[enc]';

/**
 * The original body, or undefined when the spans do not fit the covered body or name a field that is
 * not a sealed string (a bundle not written by meshtail: authentication already passed).
 */
export function restoreBody(
  covered: string,
  spans: string,
  original: (field: number) => string | undefined,
): string | undefined {
  if (spans === '') return covered;
  let out = '';
  let at = 0;
  for (const span of spans.split(',')) {
    const parts = span.split(':');
    if (parts.length !== 3) return undefined;
    const [offset, length, field] = parts.map(Number) as [number, number, number];
    if (![offset, length, field].every(Number.isSafeInteger) || offset < at || length < 0) return undefined;
    if (offset + length > covered.length) return undefined;
    const text = original(field);
    if (text === undefined) return undefined;
    out += covered.slice(at, offset) + text;
    at = offset + length;
  }
  return out + covered.slice(at);
}
