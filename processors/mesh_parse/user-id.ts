// user.id only from what a verifier vouches for, first found wins: a header the proxy writes after
// verifying the token (Istio outputClaimToHeaders), a claims header it writes the same way
// (outputPayloadToHeader: base64url JSON), a whole JWT whose signature verifies against the
// configured JWKS (jwt-verify.ts), or jwt_authn's dynamic metadata. meshtail.user.verified says
// whether one did; an unverified id is not kept under any name (it is the client's word, and
// other processors seal and mask user.id, not a second copy). Claims headers are removed from the
// record once read: the token and the claims never travel in attributes.
import { readFileSync } from 'node:fs';
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { MeshParseConfig, UserIdSource } from './config.ts';
import { type Fields, getField } from './field-key.ts';
import { type JwksKeys, readJwks, verifiedClaims } from './jwt-verify.ts';

export const USER_VERIFIED_ATTRIBUTE = 'meshtail.user.verified';

type Source =
  | { kind: 'header'; key: string }
  | { kind: 'claims'; key: string; claim: string[] }
  | { kind: 'jwt'; key: string; claim: string[] }
  | { kind: 'metadata'; namespace: string; path: string[] };

export type UserIdReader = (f: Fields, a: Attributes, timeUnixNano: bigint) => void;

export function createUserIdReader(config: MeshParseConfig['user_id']): UserIdReader | undefined {
  if (config.from.length === 0) return undefined;
  const sources = config.from.map(compile);
  const keys = config.jwks === undefined ? [] : readJwks(readFileSync(config.jwks, 'utf8'));
  const claimHeaders = sources.flatMap((s) => (s.kind === 'claims' ? [s.key] : []));
  return (f, a, timeUnixNano) => {
    const nowS = timeUnixNano > 0n ? Number(timeUnixNano / 1_000_000_000n) : undefined;
    let verified = false;
    for (const s of sources) {
      const id = read(s, f, keys, nowS);
      if (id !== undefined) {
        a['user.id'] = id;
        verified = true;
        break;
      }
    }
    // A literal key (named store, access-labels.ts); `satisfies` ties it to the constant.
    a['meshtail.user.verified' satisfies typeof USER_VERIFIED_ATTRIBUTE] = verified;
    for (const key of claimHeaders) delete a[`http.request.header.${key.slice(4)}`];
  };
}

function compile(s: UserIdSource): Source {
  if ('header' in s) return { kind: 'header', key: `req:${s.header.toLowerCase()}` };
  if ('jwt_claims_header' in s)
    return { kind: 'claims', key: `req:${s.jwt_claims_header.toLowerCase()}`, claim: s.claim.split('.') };
  if ('jwt_header' in s)
    return { kind: 'jwt', key: `req:${s.jwt_header.toLowerCase()}`, claim: s.claim.split('.') };
  const colon = s.dynamic_metadata.indexOf(':');
  return {
    kind: 'metadata',
    namespace: colon < 0 ? s.dynamic_metadata : s.dynamic_metadata.slice(0, colon),
    path: colon < 0 ? [] : s.dynamic_metadata.slice(colon + 1).split(/[.:]/),
  };
}

function read(s: Source, f: Fields, keys: JwksKeys, nowS: number | undefined): string | undefined {
  if (s.kind === 'header') return text(getField(f, s.key));
  if (s.kind === 'claims' || s.kind === 'jwt') {
    const v = getField(f, s.key);
    return typeof v === 'string' ? text(dig(claimsOf(v, s.kind === 'jwt', keys, nowS), s.claim)) : undefined;
  }
  // The format may log the whole namespace, an object inside it, or the value itself.
  for (let n = s.path.length; n >= 0; n--) {
    const v = getField(f, `dm:${s.namespace}:${s.path.slice(0, n).join('.')}`);
    if (v === undefined) continue;
    return text(dig(typeof v === 'string' && v.startsWith('{') ? parseJson(v) : v, s.path.slice(n)));
  }
  return undefined;
}

/**
 * The claims a value vouches for: a whole JWT (`Bearer` optional) only when it verifies; the
 * proxy's base64url (or plain) JSON claims when the source is a claims header.
 */
function claimsOf(value: string, jwtOnly: boolean, keys: JwksKeys, nowS: number | undefined): unknown {
  let v = value.trim();
  if (/^bearer /i.test(v)) v = v.slice(7).trim();
  if (v.split('.').length === 3) return verifiedClaims(v, keys, nowS);
  if (jwtOnly) return undefined;
  if (v.startsWith('{')) return parseJson(v);
  return parseJson(Buffer.from(v, 'base64url').toString('utf8'));
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
