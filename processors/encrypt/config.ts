// The encrypt processor's options: the schema validates them and generates the docs.
import { duration, options, z } from '../../agent/kit/config/schema.ts';

/** Fields sealed by default: credentials, and values that carry credentials or personal data. */
export const DEFAULT_ENCRYPT_FIELDS = [
  'http.request.header.authorization',
  'http.request.header.proxy-authorization',
  'http.request.header.cookie',
  'http.response.header.set-cookie',
  'http.request.header.x-api-key',
  'http.request.header.x-forwarded-for',
  'http.request.header.referer',
  'url.query',
  'linkerd.user',
];

/**
 * mesh_parse's built-in access-log formats (processors/mesh_parse/builtin-formats.ts; a test keeps
 * the two lists equal): every operator in them becomes an attribute.
 */
export const IN_PLACE_FORMATS = [
  'istio',
  'istio_1_8',
  'istio_1_3',
  'istio_1_2',
  'istio_1_1',
  'istio_1_0',
  'envoy',
];

/** Identifiers that must stay joinable: replaced by a keyed pseudonym. */
export const DEFAULT_PSEUDONYMIZE_FIELDS = ['user.id', 'client.address'];

export const encryptConfig = options({
  keyring: z
    .string()
    .min(1)
    .default('/etc/meshtail/keys')
    .describe(
      'Keyring directory (a mounted Kubernetes Secret). Per-tenant (what `meshtail keys` makes by ' +
        'default): `<kid>.pub` X25519 recipient keys, one active per tenant, and the pseudonym key; records ' +
        'are sealed to their tenant and the node cannot open them. Symmetric: `<kid>.key` files of 32 random ' +
        'bytes in base64 and an `active` file naming the key that encrypts. See docs/encryption.md.',
    ),
  fields: z
    .array(z.string().min(1))
    .default(DEFAULT_ENCRYPT_FIELDS)
    .describe(
      'Record attributes sealed into the one ciphertext of a record (`meshtail.encrypted`) and removed ' +
        'from the record.',
    ),
  pseudonymize: z
    .array(z.string().min(1))
    .default(DEFAULT_PSEUDONYMIZE_FIELDS)
    .describe(
      'Record attributes replaced by a deterministic keyed pseudonym `ps:v1:<kid>:<hex>` (equal values ' +
        'give equal pseudonyms under one key), so they stay joinable.',
    ),
  recoverable_pseudonyms: z
    .boolean()
    .default(true)
    .describe(
      "Also seal the original value of a pseudonymised field into the record's ciphertext, so " +
        '`meshtail decrypt` can restore it; false makes pseudonyms one-way.',
    ),
  body: z
    .enum(['in_place', 'with_fields', 'always', 'never'])
    .default('in_place')
    .describe(
      'What happens to the body (the original line, which repeats the fields). in_place: it stays ' +
        'readable, each sealed value in it replaced by `[enc]` and each pseudonymised value by its ' +
        'pseudonym; the bundle holds what restores the line exactly, and binds the covered line; where a ' +
        'value cannot be replaced safely (a format outside in_place_formats, a value not in the line as ' +
        'written, escaped or non-ASCII, under 4 characters, overlapping, or left over) the body is sealed whole. with_fields: sealed whole when the record has a field to seal or ' +
        'pseudonymise. always: always sealed whole. never: left (pseudonyms covered; put `redact` before ' +
        '`encrypt` then).',
    ),
  in_place_formats: z
    .array(z.string().min(1))
    .default(IN_PLACE_FORMATS)
    .describe(
      'body: in_place applies to records whose `meshtail.log.format` is listed: formats whose every ' +
        'operator becomes an attribute, so the line holds nothing the attributes do not. The default is ' +
        "mesh_parse's built-in Istio and Envoy formats. Other records (your own formats, JSON, proxy " +
        'logs) get their body sealed whole: a header the line logs but no field holds (a claims header ' +
        'read for user.id) would otherwise stay in clear. Add a format of yours only if that holds for it.',
    ),
  poll_interval: duration('5s').describe(
    'How often the keyring directory is checked for a new or rotated key (file events wake it sooner).',
  ),
});

export type EncryptConfig = z.output<typeof encryptConfig>;
