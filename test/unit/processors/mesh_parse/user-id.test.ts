// user.id comes only from what a verifier vouches for (docs/security.md "Verified users"): the
// proxy's verified-claims headers, or a whole JWT that verifies against the configured JWKS. Forged
// tokens (alg none, HS256 keyed with the public key, a changed payload, a wrong kid, expired) give
// no user.id and meshtail.user.verified: false.
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../../agent/kit/record/record.ts';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../../../processors/mesh_parse/worker.ts';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const TIME_S = Date.UTC(2024, 4, 5, 5, 5, 5) / 1000;
const CLAIMS = { iss: 'https://auth.example.com', sub: 'admin@example.com', exp: TIME_S + 3600 };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function jwk(key: KeyObject, kid: string) {
  return { ...key.export({ format: 'jwk' }), kid, use: 'sig' };
}
const dir = mkdtempSync(join(tmpdir(), 'meshtail-jwks-'));
const JWKS = join(dir, 'jwks.json');
writeFileSync(
  JWKS,
  JSON.stringify({ keys: [jwk(rsa.publicKey, 'r1'), jwk(ec.publicKey, 'e1'), jwk(ed.publicKey, 'd1')] }),
);

function token(alg: string, claims: unknown, key?: KeyObject, kid?: string): string {
  const input = `${b64({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims)}`;
  let sig = '';
  if (alg === 'RS256') sig = sign('sha256', Buffer.from(input), key!).toString('base64url');
  if (alg === 'ES256')
    sig = sign('sha256', Buffer.from(input), { key: key!, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  if (alg === 'EdDSA') sig = sign(null, Buffer.from(input), key!).toString('base64url');
  return `${input}.${sig}`;
}

const FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL%" %RESPONSE_CODE% "%REQ(X-JWT-PAYLOAD)%" "%REQ(AUTHORIZATION)%" "%REQ(X-USER-ID)%"';
const line = (payload = '-', authorization = '-', userId = '-') =>
  `[2024-05-05T05:05:05.000Z] "GET /admin HTTP/1.1" 200 "${payload}" "${authorization}" "${userId}"`;

function parse(l: string, jwks?: string): Attributes {
  const p = createProcessor(
    meshParseConfig.parse({
      formats: [{ name: 'audit', format: FORMAT }],
      user_id: {
        from: [
          { header: 'x-user-id' },
          { jwt_claims_header: 'x-jwt-payload' },
          { jwt_header: 'authorization' },
        ],
        ...(jwks ? { jwks } : {}),
      },
    }),
  );
  const r = rawRecord(l, 1n);
  p({ resource: {}, scope: { name: 'test' }, records: [r] });
  expect(r.attributes['meshtail.log.format']).toBe('audit');
  return r.attributes;
}

const refused = (a: Attributes) => {
  expect(a['user.id']).toBeUndefined();
  expect(a['meshtail.user.verified']).toBe(false);
};

describe('forged tokens give no user.id', () => {
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(CLAIMS)}.`;
  it("refuses the issue's alg:none token in the claims header, with or without a JWKS", () => {
    refused(parse(line(none)));
    refused(parse(line(`Bearer ${none}`), JWKS));
  });
  it('refuses alg:none in the authorization header', () => {
    refused(parse(line('-', `Bearer ${none}`), JWKS));
  });
  it('refuses HS256 keyed with the RSA public key (algorithm confusion)', () => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'r1' })}.${b64(CLAIMS)}`;
    const secret = rsa.publicKey.export({ format: 'pem', type: 'spki' });
    const forged = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    refused(parse(line('-', `Bearer ${forged}`), JWKS));
  });
  it('refuses a changed payload, a key not in the JWKS, a wrong kid, an expired token', () => {
    const good = token('RS256', CLAIMS, rsa.privateKey, 'r1').split('.');
    refused(parse(line('-', `Bearer ${good[0]}.${b64({ ...CLAIMS, sub: 'root' })}.${good[2]}`), JWKS));
    refused(parse(line('-', `Bearer ${token('RS256', CLAIMS, other.privateKey)}`), JWKS));
    refused(parse(line('-', `Bearer ${token('ES256', CLAIMS, ec.privateKey, 'r1')}`), JWKS));
    refused(
      parse(line('-', `Bearer ${token('RS256', { ...CLAIMS, exp: TIME_S - 3600 }, rsa.privateKey)}`), JWKS),
    );
  });
  it('refuses a well-signed token when no JWKS is configured', () => {
    refused(parse(line('-', `Bearer ${token('RS256', CLAIMS, rsa.privateKey, 'r1')}`)));
  });
});

describe('verified users', () => {
  it.each([
    ['RS256', rsa.privateKey, 'r1'],
    ['ES256', ec.privateKey, 'e1'],
    ['EdDSA', ed.privateKey, 'd1'],
  ] as const)('takes user.id from a %s token that verifies against the JWKS', (alg, key, kid) => {
    const a = parse(line('-', `Bearer ${token(alg, CLAIMS, key, kid)}`), JWKS);
    expect(a['user.id']).toBe('admin@example.com');
    expect(a['meshtail.user.verified']).toBe(true);
  });
  it("trusts the proxy's verified-claims header (outputPayloadToHeader) and removes it", () => {
    const a = parse(line(b64(CLAIMS)));
    expect(a['user.id']).toBe('admin@example.com');
    expect(a['meshtail.user.verified']).toBe(true);
    expect(a['http.request.header.x-jwt-payload']).toBeUndefined();
  });
  it('trusts a header the proxy writes (outputClaimToHeaders)', () => {
    expect(parse(line('-', '-', 'u-1'))).toMatchObject({ 'user.id': 'u-1', 'meshtail.user.verified': true });
  });
  it('says unverified when no source has a user', () => {
    refused(parse(line()));
  });
});
