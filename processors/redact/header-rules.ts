// Header attributes (`http.request.header.<name>`, `http.response.header.<name>`) are read by what
// the header means, not only by what the value looks like: an Authorization credential or a cookie
// value is a secret whatever its shape. The rule of each attribute name is decided once.
import type { Entity } from './entity.ts';
import { isJwt, jsonObjectOf } from './jwt.ts';
import type { Finding } from './text-scanner.ts';

type Rule = 'authorization' | 'cookie' | 'secret' | 'claims' | 'none';

const PREFIXES = ['http.request.header.', 'http.response.header.'];
const AUTHORIZATION = new Set(['authorization', 'proxy-authorization']);
const COOKIE = new Set(['cookie', 'set-cookie']);
const SECRET_NAME =
  /(?:^|[-_])(?:key|apikey|token|secret|password|passwd|credentials?|signature|session|sessionid)(?:$|[-_])/;
const COOKIE_PAIR = /(?:^|[;,])\s*([^;,=\s]+)=("[^"]*"|[^;,]*)/g;
const COOKIE_ATTRIBUTES = new Set(['path', 'domain', 'expires', 'max-age', 'samesite', 'priority']);
const SCHEME = /^(\s*([A-Za-z][A-Za-z0-9_-]*)\s+)(\S[\s\S]*?)\s*$/;

export class HeaderRules {
  readonly #secret: Set<string>;
  readonly #rules = new Map<string, Rule>();

  constructor(secretHeaders: readonly string[]) {
    this.#secret = new Set(secretHeaders.map((h) => h.toLowerCase()));
  }

  /** Whether the attribute's name gives the value no finding: not a header, or a claims header
   * whose value does not open like one (the test of find's `claims` case, first two characters). */
  findsNothing(attribute: string, value: string): boolean {
    const rule = this.#rule(attribute);
    return rule === 'none' || (rule === 'claims' && !value.startsWith('ey'));
  }

  #rule(attribute: string): Rule {
    let rule = this.#rules.get(attribute);
    if (rule === undefined) {
      rule = ruleOf(attribute, this.#secret);
      this.#rules.set(attribute, rule);
    }
    return rule;
  }

  /** Appends the findings a header attribute's meaning gives; false when its name gives none. */
  find(attribute: string, value: string, out: Finding[]): boolean {
    switch (this.#rule(attribute)) {
      case 'none':
        return false;
      case 'authorization':
        authorization(value, out);
        return true;
      case 'cookie':
        cookies(value, out);
        return true;
      case 'secret':
        out.push({ start: 0, end: value.length, entity: 'api_key' });
        return true;
      case 'claims':
        // Istio's outputPayloadToHeader: the verified claims as base64url JSON (sub, email, ...).
        if (!/^ey[A-Za-z0-9_-]{14,}$/.test(value) || jsonObjectOf(value) === undefined) return false;
        out.push({ start: 0, end: value.length, entity: 'jwt' });
        return true;
    }
  }
}

function ruleOf(attribute: string, secret: Set<string>): Rule {
  const prefix = PREFIXES.find((p) => attribute.startsWith(p));
  if (prefix === undefined) return 'none';
  const name = attribute.slice(prefix.length);
  if (AUTHORIZATION.has(name)) return 'authorization';
  if (COOKIE.has(name)) return 'cookie';
  if (secret.has(name) || SECRET_NAME.test(name)) return 'secret';
  return 'claims';
}

function authorization(value: string, out: Finding[]): void {
  const m = SCHEME.exec(value);
  const start = m ? m[1]!.length : 0;
  const credential = m ? m[3]! : value;
  let entity: Entity = 'bearer';
  if (m && m[2]!.toLowerCase() === 'basic') entity = 'basic';
  else if (isJwt(credential)) entity = 'jwt';
  out.push({ start, end: start + credential.length, entity });
}

/** The value spans of a Cookie / Set-Cookie header value, shifted by `offset`. */
export function cookies(value: string, out: Finding[], offset = 0): void {
  const re = COOKIE_PAIR;
  re.lastIndex = 0;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const v = m[2]!;
    if (v.length === 0 || COOKIE_ATTRIBUTES.has(m[1]!.toLowerCase())) continue;
    const end = m.index + m[0].length;
    out.push({ start: offset + end - v.length, end: offset + end, entity: 'cookie' });
  }
}
