// Decoded views of a string: percent-decoded and JSON-unescaped, each with a map from every view
// position back to the original, so a finding in a view masks the span it came from. A view is
// made only when the string has an escape (`%XX`, `\`), so clean text costs one indexOf each.

export interface View {
  text: string;
  /** map[i]: the original offset where view character i starts; map[text.length]: the end. */
  map: Int32Array;
}

const hex = (c: number) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;

/** `%XX` decoded (bytes as UTF-8 where they form it, else Latin-1), or undefined when none. */
export function percentDecoded(s: string): View | undefined {
  let at = s.indexOf('%');
  if (at < 0) return undefined;
  let text = '';
  const map: number[] = [];
  let from = 0;
  let changed = false;
  while (at >= 0 && at + 2 < s.length) {
    const hi = hex(s.charCodeAt(at + 1));
    const lo = hex(s.charCodeAt(at + 2));
    if (hi < 0 || lo < 0) {
      at = s.indexOf('%', at + 1);
      continue;
    }
    for (let k = from; k < at; k++) map.push(k);
    text += s.slice(from, at);
    // A run of escapes may be one UTF-8 character.
    const bytes: number[] = [];
    const offsets: number[] = [];
    let p = at;
    while (p + 2 < s.length && s.charCodeAt(p) === 37) {
      const h = hex(s.charCodeAt(p + 1));
      const l = hex(s.charCodeAt(p + 2));
      if (h < 0 || l < 0) break;
      bytes.push(h * 16 + l);
      offsets.push(p);
      p += 3;
    }
    const utf8 = Buffer.from(bytes).toString('utf8');
    if (!utf8.includes('\uFFFD') && utf8.length === bytes.length) {
      text += utf8;
      for (const o of offsets) map.push(o);
    } else if (!utf8.includes('\uFFFD')) {
      // Multi-byte characters: each maps to the start of its escapes.
      let b = 0;
      for (const ch of utf8) {
        for (let u = 0; u < ch.length; u++) map.push(offsets[b]!);
        b += Buffer.byteLength(ch);
      }
      text += utf8;
    } else {
      for (let k = 0; k < bytes.length; k++) {
        text += String.fromCharCode(bytes[k]!);
        map.push(offsets[k]!);
      }
    }
    changed = true;
    from = p;
    at = s.indexOf('%', p);
  }
  if (!changed) return undefined;
  for (let k = from; k < s.length; k++) map.push(k);
  text += s.slice(from);
  map.push(s.length);
  return { text, map: Int32Array.from(map) };
}

const SIMPLE: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** JSON string escapes undone (`\u0040`, `\"`, `\/`…), or undefined when there are none. */
export function jsonUnescaped(s: string): View | undefined {
  let at = s.indexOf('\\');
  if (at < 0) return undefined;
  let text = '';
  const map: number[] = [];
  let from = 0;
  let changed = false;
  while (at >= 0 && at + 1 < s.length) {
    const e = s[at + 1]!;
    let out: string | undefined;
    let len = 2;
    if (e === 'u') {
      const code = Number.parseInt(s.slice(at + 2, at + 6), 16);
      if (/^[0-9A-Fa-f]{4}$/.test(s.slice(at + 2, at + 6))) {
        out = String.fromCharCode(code);
        len = 6;
      }
    } else out = SIMPLE[e];
    if (out === undefined) {
      at = s.indexOf('\\', at + 1);
      continue;
    }
    for (let k = from; k < at; k++) map.push(k);
    text += s.slice(from, at) + out;
    map.push(at);
    changed = true;
    from = at + len;
    at = s.indexOf('\\', from);
  }
  if (!changed) return undefined;
  for (let k = from; k < s.length; k++) map.push(k);
  text += s.slice(from);
  map.push(s.length);
  return { text, map: Int32Array.from(map) };
}

/** Composes a view of a view into a view of the original. */
export function compose(outer: View, inner: View): View {
  const map = new Int32Array(inner.map.length);
  for (let i = 0; i < map.length; i++) map[i] = outer.map[inner.map[i]!]!;
  return { text: inner.text, map };
}

/** The printable text a base64 candidate decodes to, or undefined (binary, or not base64). */
export function base64Text(candidate: string): string | undefined {
  const text = Buffer.from(
    candidate,
    candidate.includes('-') || candidate.includes('_') ? 'base64url' : 'base64',
  ).toString('latin1');
  if (text.length < 8) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 10 && c !== 13 && c !== 9) || c > 126) return undefined;
  }
  return text;
}
