// user.id from the sources the config names, first found wins: a plain header, a header carrying JWT
// claims (base64url JSON as Istio's outputPayloadToHeader writes it, or a whole JWT whose payload is
// read without its signature), or a dynamic-metadata field. A claims header is removed from the record
// once read: the token and the claims never travel in attributes.
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { UserIdSource } from './config.ts';
import { type Fields, getField } from './field-key.ts';

type Source =
  | { kind: 'header'; key: string }
  | { kind: 'claims'; key: string; claim: string[] }
  | { kind: 'metadata'; namespace: string; path: string[] };

export type UserIdReader = (f: Fields, a: Attributes) => void;

export function createUserIdReader(from: readonly UserIdSource[]): UserIdReader | undefined {
  if (from.length === 0) return undefined;
  const sources = from.map(compile);
  const claimHeaders = sources.flatMap((s) => (s.kind === 'claims' ? [s.key] : []));
  return (f, a) => {
    for (const s of sources) {
      const id = read(s, f);
      if (id !== undefined) {
        a['user.id'] = id;
        break;
      }
    }
    for (const key of claimHeaders) delete a[`http.request.header.${key.slice(4)}`];
  };
}

function compile(s: UserIdSource): Source {
  if ('header' in s) return { kind: 'header', key: `req:${s.header.toLowerCase()}` };
  if ('jwt_claims_header' in s)
    return { kind: 'claims', key: `req:${s.jwt_claims_header.toLowerCase()}`, claim: s.claim.split('.') };
  const colon = s.dynamic_metadata.indexOf(':');
  return {
    kind: 'metadata',
    namespace: colon < 0 ? s.dynamic_metadata : s.dynamic_metadata.slice(0, colon),
    path: colon < 0 ? [] : s.dynamic_metadata.slice(colon + 1).split(/[.:]/),
  };
}

function read(s: Source, f: Fields): string | undefined {
  if (s.kind === 'header') return text(getField(f, s.key));
  if (s.kind === 'claims') {
    const v = getField(f, s.key);
    return typeof v === 'string' ? text(dig(claimsOf(v), s.claim)) : undefined;
  }
  // The format may log the whole namespace, an object inside it, or the value itself.
  for (let n = s.path.length; n >= 0; n--) {
    const v = getField(f, `dm:${s.namespace}:${s.path.slice(0, n).join('.')}`);
    if (v === undefined) continue;
    return text(dig(typeof v === 'string' && v.startsWith('{') ? parseJson(v) : v, s.path.slice(n)));
  }
  return undefined;
}

/** The claims of `Bearer <jwt>`, `<jwt>` or base64url(JSON claims). */
function claimsOf(value: string): unknown {
  let v = value.trim();
  if (/^bearer /i.test(v)) v = v.slice(7).trim();
  const parts = v.split('.');
  const payload = parts.length === 3 ? parts[1]! : v;
  if (payload.startsWith('{')) return parseJson(payload);
  return parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
}

function dig(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' && v !== '-' ? v : undefined;
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
