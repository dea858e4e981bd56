// The redact processor's options: the schema validates them and generates the docs.
import { options, size, z } from '../../agent/kit/config/schema.ts';
import { ACTIONS, ENTITIES, ENTITY_SPECS, type Entity } from './entity.ts';

const action = z.enum(ACTIONS);

const actionShape = Object.fromEntries(
  ENTITIES.map((e) => [e, action.default(ENTITY_SPECS[e].action).describe(ENTITY_SPECS[e].recognised)]),
) as { [E in Entity]: z.ZodDefault<typeof action> };

export const DEFAULT_QUERY_KEYS = [
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'auth_token',
  'api_key',
  'apikey',
  'api-key',
  'key',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'signature',
  'sig',
  'code',
  'session',
  'session_id',
  'sessionid',
  'jsessionid',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
];

const validRegex = (p: string) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
};

const allowRule = options({
  entity: z.enum(ENTITIES).describe('The entity type the rule lets through.'),
  values: z.array(z.string()).optional().describe('Exact values that pass (e.g. a known test email).'),
  pattern: z
    .string()
    .refine(validRegex, 'expected a JavaScript regular expression')
    .optional()
    .describe('A regular expression a value must match to pass (e.g. `^10\\.` for the pod network).'),
  attribute: z
    .string()
    .min(1)
    .optional()
    .describe('Only in this attribute (e.g. `destination.address`); the body is still scrubbed.'),
}).refine((r) => r.values !== undefined || r.pattern !== undefined || r.attribute !== undefined, {
  message: 'an allow rule needs values, pattern or attribute',
});

export const redactConfig = options({
  actions: options(actionShape)
    .prefault({})
    .describe(
      'The action per entity type: `mask` (`[REDACTED:<type>]`), `partial` (a card keeps its last 4 digits, ' +
        'an email its domain, an IP its network, an IBAN its country and last 4, a credential its first 4 ' +
        'characters when it has 12 or more), `hash` (`hmac:<kid>:<16 hex>`, HMAC-SHA256), `drop` (the ' +
        'attribute is removed; in the body the span is masked), `off` (not detected).',
    ),
  mask_style: z
    .enum(['typed', 'stars'])
    .default('typed')
    .describe('`typed`: `[REDACTED:<type>]`; `stars`: `***`.'),
  query_keys: z
    .array(z.string().min(1))
    .default(DEFAULT_QUERY_KEYS)
    .describe(
      'Query and path parameters whose value is a secret (case-insensitive); replaces the default list.',
    ),
  secret_headers: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'More request or response header names whose whole value is a credential (entity api_key), besides ' +
        'authorization, cookie and names with a part key, apikey, token, secret, password, passwd, ' +
        'credential(s), signature, session or sessionid.',
    ),
  allow: z
    .array(allowRule)
    .default([])
    .describe('Findings that pass in clear: every condition a rule gives must hold.'),
  hash_key: z
    .string()
    .trim()
    .min(16)
    .optional()
    .describe(
      'The HMAC-SHA256 key of the `hash` action, at least 16 characters, from an env or file reference (`$' +
        '{env:VAR}`, `$' +
        '{file:PATH}`). ' +
        'Unset: a random key per process, logged at start-up; pseudonyms then change on every restart.',
    ),
  hash_key_id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'expected 1–32 letters, digits, `_`, `.` or `-`')
    .default('k1')
    .describe('The key id written into pseudonyms (`hmac:<kid>:…`) so a rotated key is visible.'),
  fail_closed: z
    .boolean()
    .default(true)
    .describe(
      'A record that cannot be inspected (a body that is not a string, a byte attribute, a value over ' +
        '`max_value_size`, a detector error) leaves with its body and free-text attributes masked and ' +
        '`meshtail.redact.failed: true`. false: it leaves unchanged, marked and counted.',
    ),
  max_value_size: size('64KiB').describe(
    'The longest string inspected; a longer one makes the record uninspectable.',
  ),
});

export type RedactConfig = z.output<typeof redactConfig>;
export type AllowRule = z.output<typeof allowRule>;
