// Keys that name a secret, whatever their spelling: `password`, `db_password`, `client-secret`,
// `X-Auth-Token`, `apiKey`, `refresh_token`, `sessionId`. A key is split into parts at `-`, `_`,
// `.`, spaces and camelCase; its last part (or its last two) decides. Strong names take any value;
// weak ones (`key`, `code`, `sig`, `session`, `auth`) only a value that looks random, so
// `response_code=200` or `cache_key=orders` stay.

export type KeyStrength = 'strong' | 'weak' | 'cookie' | undefined;

const STRONG = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'credential',
  'credentials',
  'signature',
  'apikey',
  'secretkey',
  'privatekey',
  'accesskey',
  'sessionid',
  'jsessionid',
  'phpsessid',
  'authorization',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'clientsecret',
]);
const WEAK = new Set(['key', 'code', 'sig', 'session', 'auth', 'sid', 'otp', 'pin', 'creds', 'cred']);
const STRONG_PAIRS = new Set([
  'session id',
  'api key',
  'access key',
  'secret key',
  'private key',
  'auth code',
]);
const COOKIE = new Set(['cookie', 'set-cookie']);
/** A cheap first test: every secret name contains one of these. */
const ROOTS = /pass|pwd|secret|token|key|auth|cred|sig|code|sess|sid|otp|pin|cookie/i;

const memo = new Map<string, KeyStrength>();
const MEMO_LIMIT = 4096;

/** Last letters (lower-cased) of every secret name: most keys are told apart without a lookup. */
const ENDINGS = new Set([
  'en',
  'et',
  'rd',
  'wd',
  'ss',
  'se',
  'al',
  'ls',
  're',
  'ey',
  'de',
  'ig',
  'on',
  'th',
  'id',
  'tp',
  'in',
  'ds',
  'ed',
  'ie',
]);

/** ENDINGS as a table of the two char codes (no string made per test). */
const ENDING_TABLE = new Uint8Array(128 * 128);
for (const e of ENDINGS) ENDING_TABLE[e.charCodeAt(0) * 128 + e.charCodeAt(1)] = 1;

/** Whether the key ending at `end` of `s` ends like a secret name. */
export function hasSecretEnding(s: string, end: number): boolean {
  const a = s.charCodeAt(end - 2) | 32;
  const b = s.charCodeAt(end - 1) | 32;
  return a < 128 && b < 128 && ENDING_TABLE[a * 128 + b] === 1;
}

export function keyStrength(key: string): KeyStrength {
  if (!hasSecretEnding(key, key.length)) return undefined;
  let k = memo.get(key);
  if (k === undefined && !memo.has(key)) {
    k = ROOTS.test(key) ? classify(key) : undefined;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, k);
  }
  return k;
}

function classify(key: string): KeyStrength {
  const lower = key.toLowerCase();
  if (COOKIE.has(lower)) return 'cookie';
  const parts = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[-_.\s:]+/)
    .filter((p) => p !== '');
  const last = parts[parts.length - 1];
  if (last === undefined) return undefined;
  const pair = parts.length >= 2 ? `${parts[parts.length - 2]} ${last}` : '';
  if (STRONG.has(last) || STRONG_PAIRS.has(pair) || STRONG.has(pair.replace(' ', ''))) return 'strong';
  if (WEAK.has(last)) return 'weak';
  return undefined;
}

const PLACEHOLDER = new Set(['-', 'null', 'none', 'true', 'false', 'undefined', '""', "''", '*', '***']);

/** Whether a value after a secret key is masked. */
export function maskedValue(value: string, strength: Exclude<KeyStrength, undefined>): boolean {
  if (value.length === 0 || PLACEHOLDER.has(value.toLowerCase()) || value.startsWith('[REDACTED'))
    return false;
  if (strength === 'strong' || strength === 'cookie') return true;
  return looksRandom(value);
}

/** 6 or more characters with digits and letters, or mixed case, or base64 punctuation. */
export function looksRandom(v: string): boolean {
  if (v.length < 6) return false;
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  if (digit && !lower && !upper) return v.length >= 6 && !other;
  return lower + upper + digit + other >= 2 && (digit === 1 || (lower === 1 && upper === 1));
}
