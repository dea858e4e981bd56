// Issue 21's generated corpora: secrets where real logs put them (seeded random values, so nothing
// passes by memorising strings), one class per shape, and benign look-alikes that must be kept byte
// for byte. Each class cites where its shape comes from. `clear` holds what must not survive.
import { SeededRandom } from '../../agent/demo/seeded-random.ts';
import { TOKEN_CATALOGUE, type TokenFormat } from '../../processors/redact/token-catalogue.ts';
import { chars } from './seeded-secrets.ts';

export interface CorpusCase {
  cls: string;
  line: string;
  clear: string[];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const _HEX = '0123456789abcdef';
const DIGITS = '0123456789';

const ts = (r: SeededRandom) =>
  `2025-10-${String(r.int(1, 28)).padStart(2, '0')}T${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(10, 59))}:${String(r.int(10, 59))}.${r.int(100, 999)}Z`;
const access = (r: SeededRandom, path: string) =>
  `[${ts(r)}] "GET ${path} HTTP/1.1" 200 - via_upstream - "-" 0 ${r.int(10, 9999)} ${r.int(1, 90)} ${r.int(1, 90)} "-" "okhttp/4.12.0" "${r.uuid()}" "shop.example.com" "10.244.${r.int(0, 9)}.${r.int(2, 250)}:8080" outbound|8080||orders.shop.svc.cluster.local`;
const app = (r: SeededRandom, text: string) =>
  `${ts(r)} INFO [${r.pick(['auth', 'billing', 'gateway'])}] ${text}`;
const json = (r: SeededRandom, o: Record<string, unknown>) =>
  JSON.stringify({ ts: ts(r), level: 'info', trace_id: r.hex(32), ...o });
const secret = (r: SeededRandom) => chars(r, ALNUM, r.int(16, 40));

/** Percent-encodes every reserved character (what a redirect parameter holds). */
const enc = (s: string) => encodeURIComponent(s);

function luhn(r: SeededRandom, first: number, length: number): string {
  const d = [first, ...Array.from({ length: length - 2 }, () => r.int(0, 9))];
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d[d.length - 1 - i]!;
    if (i % 2 === 0) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return d.join('') + ((10 - (sum % 10)) % 10);
}

function iban(r: SeededRandom): string {
  const [cc, bban] = r.pick([
    ['DE', chars(r, DIGITS, 18)],
    ['GB', chars(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + chars(r, DIGITS, 14)],
    ['FR', chars(r, DIGITS, 23)],
    ['NL', chars(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + chars(r, DIGITS, 10)],
  ] as const);
  const numeric = `${bban}${cc}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const c of numeric) rest = (rest * 10 + Number(c)) % 97;
  return `${cc}${String(98 - rest).padStart(2, '0')}${bban}`;
}

function ssn(r: SeededRandom): [string, string, string] {
  let area = r.int(1, 899);
  if (area === 666) area = 665;
  return [
    String(area).padStart(3, '0'),
    String(r.int(1, 99)).padStart(2, '0'),
    String(r.int(1, 9999)).padStart(4, '0'),
  ];
}

/** A value of a catalogue row's shape, generated from its `body` (a small regex subset). */
export function catalogueToken(r: SeededRandom, f: TokenFormat): string {
  const prefix = r.pick(f.prefixes);
  if (f.id === 'pem-private-key')
    return `${prefix}RSA PRIVATE KEY-----\\n${chars(r, `${ALNUM}+/`, 64)}\\n${chars(r, `${ALNUM}+/`, 64)}\\n-----END RSA PRIVATE KEY-----`;
  if (f.id === 'putty-private-key')
    return `${prefix}3: ssh-ed25519 Private-Lines: 1 ${chars(r, ALNUM, 40)} Private-MAC: ${r.hex(64)}`;
  if (f.id === 'jwt') {
    const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ sub: r.hex(8) })}.${chars(r, `${ALNUM}-_`, 43)}`;
  }
  let out = prefix;
  const body = f.body.replace(/\(\?![^)]*\)/g, '');
  for (let i = 0; i < body.length; ) {
    let set: string;
    if (body[i] === '[') {
      const close = body.indexOf(']', i);
      set = expand(body.slice(i + 1, close));
      i = close + 1;
    } else if (body.startsWith('\\d', i)) {
      set = DIGITS;
      i += 2;
    } else if (body[i] === '\\') {
      set = body[i + 1]!;
      i += 2;
    } else set = body[i++]!;
    let n = 1;
    const q = /^\{(\d+)(,(\d*))?\}|^\+/.exec(body.slice(i));
    if (q) {
      i += q[0].length;
      n = q[0] === '+' ? r.int(6, 12) : q[2] ? Number(q[1]) + (q[3] ? 0 : r.int(0, 6)) : Number(q[1]);
      if (q[1] === '0') n = 0;
    }
    out += chars(r, set, n);
  }
  return out;
}

function expand(cls: string): string {
  let s = '';
  for (let i = 0; i < cls.length; i++) {
    if (cls[i + 1] === '-' && i + 2 < cls.length) {
      for (let c = cls.charCodeAt(i); c <= cls.charCodeAt(i + 2); c++) s += String.fromCharCode(c);
      i += 2;
    } else if (cls[i] === '\\') s += cls[++i];
    else s += cls[i];
  }
  return s;
}

type Gen = (r: SeededRandom) => CorpusCase;

const SECRET_KEYS = [
  'access-token',
  'private_token',
  'auth',
  'pass',
  'client-secret',
  'apiKey',
  'X-Auth-Token',
  'db_password',
  'sessionId',
  'refresh_token',
  'passwd',
  'pwd',
  'x-amz-signature',
];

/** The classes, with the source of each shape. */
export const SECRET_CLASSES: Record<string, Gen> = {
  // RFC 3986 §2.1 (percent-encoding), RFC 6749 §4.1.2 (OAuth redirect and code in the query).
  'query, percent-encoded once or twice': (r) => {
    const v = secret(r);
    const inner = `/cb?${r.pick(['token', 'code', 'access_token'])}=${v}`;
    const path = r.chance(0.5) ? `/login?redirect=${enc(inner)}` : `/login?next=${enc(enc(inner))}&lang=en`;
    return { cls: '', line: access(r, path), clear: [v] };
  },
  // GitLab API (`private_token`), AWS SigV4 (`X-Amz-Signature`), common frameworks' names.
  'secret-named keys: query, key=value, key: value, JSON': (r) => {
    const k = r.pick(SECRET_KEYS);
    const v = secret(r);
    const line = r.pick([
      () => access(r, `/api/v4/projects?${k}=${v}&per_page=20`),
      () => app(r, `login attempt user=ann ${k}=${v} ok`),
      () => app(r, `config loaded ${k}: ${v}`),
      () => json(r, { msg: 'request', [k]: v }),
      () => json(r, { msg: `upstream body {"${k}":"${v}"}` }),
    ])();
    return { cls: '', line, clear: [v] };
  },
  // RFC 6749 §4.2.2: the implicit grant returns tokens in the fragment.
  'fragment parameters': (r) => {
    const v = secret(r);
    const path = `/callback#${r.pick(['access_token', 'refresh_token', 'id_token'])}=${v}&token_type=Bearer&expires_in=3600`;
    return { cls: '', line: app(r, `redirect to https://app.example.com${path}`), clear: [v] };
  },
  // RFC 8259 §7: any character may be written \uXXXX; loggers escape non-ASCII and some escape all.
  'JSON escapes inside tokens and emails': (r) => {
    const id = `AKIA${chars(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
    const at = r.int(4, 12);
    const escaped = `${id.slice(0, at)}\\u00${id.charCodeAt(at).toString(16)}${id.slice(at + 1)}`;
    const user = `${r.pick(['ann', 'bob', 'eve'])}.${r.hex(6)}`;
    return r.chance(0.5)
      ? { cls: '', line: `{"msg":"aws key ${escaped} used"}`, clear: [id, id.slice(at + 1)] }
      : { cls: '', line: `{"msg":"mail to ${user}\\u0040example.com"}`, clear: [user] };
  },
  // RFC 7617 (Basic credentials are base64 of user:password), logged outside the header.
  'base64 credentials outside headers': (r) => {
    const pw = secret(r);
    const b64 = Buffer.from(`svc-${r.hex(4)}:${pw}`).toString('base64');
    return {
      cls: '',
      line: app(r, r.pick([`forwarding creds ${b64} to upstream`, `x-creds=${b64}`, `{"c": "${b64}"}`])),
      clear: [b64, pw],
    };
  },
  // RFC 3986 §3.2.1 userinfo; libpq connection URIs, Redis, AMQP and MongoDB DSNs.
  'DSN and URL passwords': (r) => {
    const pw = secret(r);
    const url = r.pick([
      `postgres://app:${pw}@db.internal:5432/orders`,
      `redis://:${pw}@cache:6379/0`,
      `amqp://guest:${pw}@rabbit/vhost`,
      `mongodb+srv://svc:${pw}@cluster0.example.net/?retryWrites=true`,
    ]);
    return { cls: '', line: app(r, `connecting to ${url}`), clear: [pw] };
  },
  // Provider documentation per row of processors/redact/token-catalogue.ts.
  'provider tokens (catalogue)': (r) => {
    const f = r.pick(TOKEN_CATALOGUE);
    const token = catalogueToken(r, f);
    const line = r.pick([
      () => app(r, `using ${token} for upload`),
      () => json(r, { msg: `auth ${token}` }),
      () => access(r, `/hook?x=1&k=${token}`),
    ])();
    return { cls: '', line, clear: [token.length > 60 ? token.slice(0, 60) : token] };
  },
  // SSA: area 001–899 except 666, group 01–99, serial 0001–9999 (ssa.gov/employer/randomization.html).
  'US SSN': (r) => {
    const [a, g, s] = ssn(r);
    const line = r.pick([
      () => app(r, `applicant ssn ${a}-${g}-${s} verified`),
      () => app(r, `tax id ${a} ${g} ${s} on file`),
      () => json(r, { ssn: `${a}${g}${s}` }),
    ])();
    return { cls: '', line, clear: [`${a}-${g}-${s}`, `${a} ${g} ${s}`, `${a}${g}${s}`] };
  },
  // ITU-T E.164; NANP (nationalnanpa.com) 3-3-4 forms; national forms with a label.
  'phone numbers': (r) => {
    const n = `${r.int(2, 9)}${chars(r, DIGITS, 2)}`;
    const x = `${r.int(2, 9)}${chars(r, DIGITS, 2)}`;
    const l = chars(r, DIGITS, 4);
    const forms = [
      `+1${n}${x}${l}`,
      `+1 ${n} ${x} ${l}`,
      `(${n}) ${x}-${l}`,
      `${n}-${x}-${l}`,
      `${n}.${x}.${l}`,
    ];
    const uk = `0${r.int(1, 7)}${chars(r, DIGITS, 1)} ${chars(r, DIGITS, 4)} ${chars(r, DIGITS, 4)}`;
    return r.chance(0.8)
      ? {
          cls: '',
          line: app(r, `callback to ${r.pick(forms)} scheduled`),
          clear: [`${x}${l}`, `${x}-${l}`, `${x}.${l}`, `${x} ${l}`],
        }
      : { cls: '', line: json(r, { phone: uk }), clear: [uk] };
  },
  // ISO 13616 and the SWIFT IBAN registry: printed in groups of 4; people type lower case.
  'IBAN in any case and spacing': (r) => {
    const i = iban(r);
    const groups = i.match(/.{1,4}/g)!;
    const text = r.pick([i.toLowerCase(), groups.join(' '), groups.join('  ').toLowerCase(), i]);
    return { cls: '', line: app(r, `payout to ${text} queued`), clear: [i, i.toLowerCase(), i.slice(4, 16)] };
  },
  // ISO/IEC 7812 (issuer prefix, Luhn); shop forms keep dots, double spaces; URLs encode spaces.
  'cards with any separator': (r) => {
    const c = luhn(r, r.pick([4, 5]), 16);
    const sep = r.pick(['.', '  ', '%20', '-', '']);
    const text = c.match(/.{4}/g)!.join(sep);
    const line = sep === '%20' ? access(r, `/pay?card=${text}&v=1`) : app(r, `charge card ${text} declined`);
    return { cls: '', line, clear: [c, text, c.slice(4, 12)] };
  },
  // RFC 3986 (%40), double encoding by redirects (%2540), RFC 8259 (\u0040).
  'emails in encoded forms': (r) => {
    const user = `${r.pick(['ann', 'bob', 'carol'])}.${r.hex(6)}`;
    const form = r.pick([`${user}%40example.com`, `${user}%2540example.com`, `${user}@example.com`]);
    return { cls: '', line: access(r, `/invite?to=${form}&ref=mail`), clear: [user] };
  },
  // Envoy's debug dump of header maps (source/common/http/conn_manager_impl.cc, `'name', 'value'`).
  'proxy debug header dumps': (r) => {
    const v = secret(r);
    const [name, value, clear] = r.pick([
      ['authorization', `Bearer ${v}`, v],
      ['x-api-key', v, v],
      ['cookie', `session=${v}; theme=dark`, v],
      [
        'proxy-authorization',
        `Basic ${Buffer.from(`u:${v}`).toString('base64')}`,
        Buffer.from(`u:${v}`).toString('base64'),
      ],
    ] as const);
    return {
      cls: '',
      line: `[${ts(r)}][${r.int(20, 99)}][debug][http] [source/common/http/conn_manager_impl.cc:1157] [C${r.int(1, 999)}][S${r.int(1e6, 9e6)}] request headers complete: ':path', '/x' '${name}', '${value}'`,
      clear: [clear],
    };
  },
  // RFC 6750 §2.1 (Bearer), RFC 7519 (JWT) in free text.
  'bearer tokens and JWTs in text': (r) => {
    const v = secret(r);
    const jwt = catalogueToken(r, TOKEN_CATALOGUE.find((f) => f.id === 'jwt')!);
    return r.chance(0.5)
      ? { cls: '', line: app(r, `retrying with Bearer ${v}`), clear: [v] }
      : { cls: '', line: json(r, { msg: `token ${jwt}` }), clear: [jwt.slice(-43)] };
  },
  // Client addresses (X-Forwarded-For, RFC 7239) are personal data under the GDPR.
  'public client IPs': (r) => {
    const ip = `${r.pick([81, 93, 145, 203, 198])}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    return {
      cls: '',
      line: app(r, r.pick([`x-forwarded-for: ${ip}, 10.0.0.1`, `client=${ip}:${r.port()}`, `from [${ip}]`])),
      clear: [ip],
    };
  },
};

/** Benign look-alikes (versions, times, ids, names, checksum failures) that must be kept. */
export const BENIGN_CLASSES: Record<string, (r: SeededRandom) => string> = {
  'browser and library versions': (r) =>
    access(r, '/').replace(
      'okhttp/4.12.0',
      `Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/${r.int(100, 140)}.0.${r.int(0, 9999)}.${r.int(0, 200)} Safari/537.36`,
    ),
  'timestamps and durations': (r) =>
    app(
      r,
      `took ${r.int(1, 999)}ms at ${Date.UTC(2025, 9, r.int(1, 28))}${r.int(100, 999)} epoch ${BigInt(r.int(1.7e9, 1.8e9)) * 1_000_000_000n}`,
    ),
  'UUIDs, trace and span ids': (r) =>
    app(r, `traceparent 00-${r.hex(32)}-${r.hex(16)}-01 request ${r.uuid()}`),
  'pod, cluster and route names': (r) =>
    app(
      r,
      `upstream reviews-v${r.int(1, 3)}-${r.hex(10)}-${chars(r, 'bcdfghjklmnpqrstvwxz2456789', 5)} outbound|9080||reviews.default.svc.cluster.local route=default`,
    ),
  'Luhn-failing card-shaped numbers': (r) => {
    const c = luhn(r, 4, 16);
    const bad = c.slice(0, 15) + ((Number(c[15]) + r.int(1, 9)) % 10);
    return app(r, `order ${bad} shipped`);
  },
  'IBAN-shaped with a wrong check': (r) => {
    const i = iban(r);
    return app(
      r,
      `ref ${i.slice(0, 2)}${String((Number(i.slice(2, 4)) + r.int(1, 50)) % 100).padStart(2, '0')}${i.slice(4)} x`,
    );
  },
  'invalid SSNs and plain 9-digit ids': (r) =>
    app(
      r,
      `ids ${r.pick(['000', '666', `9${r.int(10, 99)}`])}-${r.int(10, 99)}-${r.int(1000, 9999)} ticket ${r.int(100000000, 999999999)}`,
    ),
  'order numbers and sizes': (r) =>
    app(r, `order ${r.int(1e9, 9e9)} bytes ${r.int(0, 999)} ${r.int(0, 99999)} ${r.int(0, 999)} status 200`),
  'non-secret keys': (r) =>
    access(
      r,
      `/search?q=${r.pick(['shoes', 'red'])}&keyword=${r.hex(4)}&token_type=Bearer&page=${r.int(1, 9)}&response_code=200&author=ann&monkey=${r.int(1, 9)}`,
    ),
  'private pod addresses': (r) =>
    app(
      r,
      `peer 10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}:${r.port()} via 127.0.0.6 and 192.168.${r.int(0, 255)}.${r.int(1, 254)}`,
    ),
  'hashes and digests': (r) => app(r, `commit ${r.hex(40)} sha256:${r.hex(64)} etag "${r.hex(32)}"`),
  'dates and local times': (r) =>
    app(
      r,
      `window 2025-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(10, 28))} ${r.int(10, 23)}:${r.int(10, 59)} to ${r.int(2026, 2030)}-01-01`,
    ),
};

export function secretCorpus21(seed: number, perClass: number): CorpusCase[] {
  const r = new SeededRandom(seed);
  const out: CorpusCase[] = [];
  for (const [cls, gen] of Object.entries(SECRET_CLASSES))
    for (let i = 0; i < perClass; i++) out.push({ ...gen(r), cls });
  return out;
}

export function benignCorpus21(seed: number, perClass: number): Array<{ cls: string; line: string }> {
  const r = new SeededRandom(seed);
  const out: Array<{ cls: string; line: string }> = [];
  for (const [cls, gen] of Object.entries(BENIGN_CLASSES))
    for (let i = 0; i < perClass; i++) out.push({ cls, line: gen(r) });
  return out;
}
