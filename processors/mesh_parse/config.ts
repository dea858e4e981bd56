// The mesh_parse processor's options: the schema validates them and generates the docs.
import { options, z } from '../../agent/kit/config/schema.ts';
import { BUILTIN_FORMAT_NAMES } from './builtin-formats.ts';

const userFormat = options({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'a lower_snake_case name')
    .describe('Recorded as meshtail.log.format on the records this format parsed.'),
  format: z
    .string()
    .min(1)
    .describe(
      'An Envoy format string (`[%START_TIME%] "%REQ(:METHOD)% ..."`) or an Envoy JSON format ' +
        '(`{"auth":"%REQ(AUTHORIZATION)%", ...}`), exactly as in the proxy config. Compiled once.',
    ),
});

const userIdSource = z.union([
  options({
    header: z
      .string()
      .min(1)
      .describe(
        'A request header the proxy writes after verifying the token (Istio outputClaimToHeaders), carrying ' +
          'the user id as is. Name only headers the proxy sets: see docs/security.md "Verified users".',
      ),
  }),
  options({
    jwt_claims_header: z
      .string()
      .min(1)
      .describe(
        "A request header the proxy writes after verifying the token, with its claims as base64url JSON (Istio's " +
          'outputPayloadToHeader). A whole JWT found there counts only if it verifies against `jwks`. The header ' +
          'is removed from the record.',
      ),
    claim: z.string().default('sub').describe('The claim to read; dots reach into nested objects.'),
  }),
  options({
    jwt_header: z
      .string()
      .min(1)
      .describe(
        'A request header with a whole JWT (`Bearer` optional), e.g. authorization: counts only if it verifies ' +
          'against `jwks` (RS256, ES256, EdDSA; never `alg: none` or HS*).',
      ),
    claim: z.string().default('sub').describe('The claim to read; dots reach into nested objects.'),
  }),
  options({
    dynamic_metadata: z
      .string()
      .min(1)
      .describe(
        '`<filter namespace>:<path>`, e.g. `envoy.filters.http.jwt_authn:payload.sub` (jwt_authn writes the ' +
          'payload only after verifying the token).',
      ),
  }),
]);

export const meshParseConfig = options({
  formats: z
    .array(userFormat)
    .default([])
    .describe('Access-log formats declared by the user; tried before the built-in ones.'),
  builtin_formats: z
    .array(z.enum(BUILTIN_FORMAT_NAMES))
    .default([...BUILTIN_FORMAT_NAMES])
    .describe(
      'Built-in text formats to try: Istio defaults by version (istio = 1.9+) and plain Envoy. ' +
        'JSON, Linkerd and proxy log lines are always recognised.',
    ),
  user_id: options({
    from: z
      .array(userIdSource)
      .default([])
      .describe(
        'Sources of user.id, tried in order; the first verified id wins. With any source, records carry ' +
          'meshtail.user.verified (false when no source gave a verified id: no user.id then).',
      ),
    jwks: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A JWKS file (`{"keys": [...]}`, the issuer\'s public keys) that whole JWTs are verified against; read ' +
          'once, when the pipeline is loaded. Without it a whole JWT gives no user.id.',
      ),
  })
    .default({ from: [] })
    .describe('Where the requesting user is read from.'),
  required: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Attributes every access record must carry (e.g. mesh.source.workload, user.id); a record missing ' +
        'any gets meshtail.labels.missing with their names.',
    ),
});

export type MeshParseConfig = z.output<typeof meshParseConfig>;
export type UserIdSource = z.output<typeof userIdSource>;
