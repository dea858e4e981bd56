// The entity catalogue: what the redact processor recognises, the action each gets under
// `redact: {}`, and one line on how it is recognised. Entity names are also the event names of
// meshtail_processor_events_total{processor="redact", event=<entity>}.

export const ENTITIES = [
  'bearer',
  'basic',
  'jwt',
  'cookie',
  'api_key',
  'query_secret',
  'secret_value',
  'url_credentials',
  'aws_access_key',
  'aws_secret_key',
  'github_token',
  'slack_token',
  'stripe_key',
  'provider_token',
  'private_key',
  'email',
  'card',
  'iban',
  'ssn',
  'phone',
  'ip',
  'private_ip',
] as const;

export type Entity = (typeof ENTITIES)[number];

/** `off` disables the detector. */
export const ACTIONS = ['mask', 'partial', 'hash', 'drop', 'off'] as const;

export type Action = (typeof ACTIONS)[number];

export interface EntitySpec {
  /** The action under `redact: {}` (`off` only for what is not secret by default). */
  action: Action;
  /** How it is recognised (generated into the README and docs/redaction.md). */
  recognised: string;
}

// Credentials are masked: nothing about them is worth keeping. IPs and emails identify people or
// hosts that operators need to follow across records, so they get a keyed pseudonym. A card keeps
// its last 4 digits (what PCI DSS allows to be displayed).
export const ENTITY_SPECS: Record<Entity, EntitySpec> = {
  bearer: {
    action: 'mask',
    recognised:
      'the credential of an Authorization/Proxy-Authorization header (any scheme but Basic), `Bearer <token>` anywhere',
  },
  basic: {
    action: 'mask',
    recognised:
      '`Basic <base64 of user:password>` in an Authorization header or anywhere (decoded, must hold a `:`)',
  },
  jwt: {
    action: 'mask',
    recognised: 'three base64url segments whose first decodes to a JSON object with a string `alg`',
  },
  cookie: {
    action: 'mask',
    recognised: 'every value of a Cookie / Set-Cookie header (names and cookie attributes kept)',
  },
  api_key: {
    action: 'mask',
    recognised:
      'the whole value of a header named in `secret_headers` or whose name has a part `key`, `apikey`, `token`, `secret`, `password`, `passwd`, `credential(s)`, `signature`, `session`, `sessionid`',
  },
  query_secret: {
    action: 'mask',
    recognised: 'the value of a `query_keys` parameter (`?token=…`, `&password=…`, `;sig=…`) in any string',
  },
  secret_value: {
    action: 'mask',
    recognised:
      "the value after a key that names a secret (`password`, `client-secret`, `X-Auth-Token`, `apiKey`…) in `key=value`, `key: value`, JSON text and proxy header dumps (`'authorization', 'Bearer …'`)",
  },
  url_credentials: {
    action: 'mask',
    recognised:
      'the password (or a lone token) of URL userinfo: `postgres://app:PW@db`, `https://TOKEN@host`',
  },
  aws_access_key: { action: 'mask', recognised: '`AKIA`/`ASIA` + 16 upper-case letters or digits' },
  aws_secret_key: {
    action: 'mask',
    recognised:
      '40 base64 characters within 200 characters of an AWS access key id, or after `aws_secret_access_key`/`secret_access_key` `=`/`:`',
  },
  github_token: {
    action: 'mask',
    recognised: '`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 30 or more, `github_pat_` + 22 or more',
  },
  slack_token: { action: 'mask', recognised: '`xoxa-`/`xoxb-`/`xoxp-`/`xoxr-`/`xoxs-` + 10 or more' },
  stripe_key: { action: 'mask', recognised: '`sk_live_`/`rk_live_`/`sk_test_`/`rk_test_` + 16 or more' },
  provider_token: {
    action: 'mask',
    recognised:
      'a token of the provider catalogue (token-catalogue.ts): Google, GitLab, npm, PyPI, OpenAI, Anthropic, SendGrid, Vault…',
  },
  private_key: {
    action: 'mask',
    recognised: 'a PEM `-----BEGIN … PRIVATE KEY-----` block up to its END line (or the end of the string)',
  },
  email: {
    action: 'hash',
    recognised:
      '`local@domain.tld`, also URL-encoded (`%40`, `%2540`), JSON-escaped (`\\u0040`) or inside base64',
  },
  card: {
    action: 'partial',
    recognised:
      '13–19 digits with a card issuer prefix, in groups of 4 (Amex 4-6-5) with any separator (spaces, dashes, dots, `%20`) or none, Luhn-valid',
  },
  iban: {
    action: 'mask',
    recognised:
      'country code + 2 check digits + BBAN of that country’s length, any case and spacing, mod-97 valid',
  },
  ssn: {
    action: 'mask',
    recognised:
      'US SSN `AAA-GG-SSSS` (dashes or spaces; area not 000, 666 or 900–999, group not 00, serial not 0000), 9 bare digits only after `ssn`/`social`',
  },
  phone: {
    action: 'mask',
    recognised:
      'E.164 (`+` and 8–15 digits), North American `(415) 555-0100` / `415-555-0100`, other national forms only after `phone`, `tel`, `mobile`…',
  },
  ip: {
    action: 'hash',
    recognised:
      'public IPv4 and IPv6 addresses (validated) in an address context (not after `/` or a letter: `Chrome/131.0.0.0` is a version)',
  },
  private_ip: {
    action: 'off',
    recognised:
      'private, shared and link-local addresses (10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16, fc00::/7, fe80::/10): the pod and service network',
  },
};
