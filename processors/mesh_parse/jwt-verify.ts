// Verifies a compact JWS (a whole JWT) against a JWKS with node:crypto, for user.id. Accepted:
// RS256/384/512, PS256, ES256/384 and EdDSA with a key of the matching type (by kid when the token
// names one). Refused always: `alg: none`, HS* (a shared secret meshtail does not hold, and the
// classic confusion with an RSA public key), unknown algorithms, expired or not-yet-valid tokens.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

interface Key {
  kid: string | undefined;
  key: KeyObject;
  type: string;
}

export type JwksKeys = readonly Key[];

const ALGORITHMS: Record<string, { hash: string | null; type: string; p1363?: boolean; pss?: boolean }> = {
  RS256: { hash: 'sha256', type: 'rsa' },
  RS384: { hash: 'sha384', type: 'rsa' },
  RS512: { hash: 'sha512', type: 'rsa' },
  PS256: { hash: 'sha256', type: 'rsa', pss: true },
  ES256: { hash: 'sha256', type: 'ec', p1363: true },
  ES384: { hash: 'sha384', type: 'ec', p1363: true },
  EdDSA: { hash: null, type: 'ed25519' },
};

/** The keys of a JWKS document (`{"keys": [...]}`); keys of other uses or types are skipped. */
export function readJwks(text: string): JwksKeys {
  const doc = JSON.parse(text) as { keys?: unknown };
  if (!Array.isArray(doc.keys)) throw new Error('a JWKS is a JSON object with a "keys" array');
  const out: Key[] = [];
  for (const jwk of doc.keys as Record<string, unknown>[]) {
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') continue;
    const key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    out.push({
      kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
      key,
      type: key.asymmetricKeyType ?? '',
    });
  }
  return out;
}

/**
 * The claims of `token` when its signature verifies against one of `keys` and, when `nowS` is
 * given, it is within its exp/nbf (60 s leeway); otherwise undefined.
 */
export function verifiedClaims(
  token: string,
  keys: JwksKeys,
  nowS?: number,
): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || keys.length === 0) return undefined;
  const header = json(parts[0]!);
  const alg = typeof header?.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (!header || !alg) return undefined;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  const ok = keys.some((k) => {
    if (k.type !== alg.type || (kid !== undefined && k.kid !== undefined && k.kid !== kid)) return false;
    const options = alg.pss
      ? { key: k.key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
      : alg.p1363
        ? { key: k.key, dsaEncoding: 'ieee-p1363' as const }
        : k.key;
    try {
      return verify(alg.hash, data, options, signature);
    } catch {
      return false;
    }
  });
  if (!ok) return undefined;
  const claims = json(parts[1]!);
  if (!claims) return undefined;
  if (nowS !== undefined) {
    if (typeof claims.exp === 'number' && nowS > claims.exp + 60) return undefined;
    if (typeof claims.nbf === 'number' && nowS < claims.nbf - 60) return undefined;
  }
  return claims;
}

function json(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
