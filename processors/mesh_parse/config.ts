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
  options({ header: z.string().min(1).describe('A request header that carries the user id as is.') }),
  options({
    jwt_claims_header: z
      .string()
      .min(1)
      .describe(
        "A request header with the JWT claims as base64url JSON (Istio's outputPayloadToHeader) or a whole JWT " +
          '(`Bearer` optional). The signature is not checked; the header is removed from the record.',
      ),
    claim: z.string().default('sub').describe('The claim to read; dots reach into nested objects.'),
  }),
  options({
    dynamic_metadata: z
      .string()
      .min(1)
      .describe('`<filter namespace>:<path>`, e.g. `envoy.filters.http.jwt_authn:payload.sub`.'),
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
      .describe('Sources of user.id, tried in order; the first found wins.'),
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
