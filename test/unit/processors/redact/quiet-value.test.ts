// The quiet-value gate lets a value skip the scanner: it must never pass a value in which the
// scanner finds something. Tried against every secret of the seeded corpora, every token shape of
// the catalogue, and random values built from the characters and pieces the detectors key on.
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../agent/demo/seeded-random.ts';
import { DEFAULT_QUERY_KEYS } from '../../../../processors/redact/config.ts';
import { ENTITY_SPECS, type Entity } from '../../../../processors/redact/entity.ts';
import { quietValue } from '../../../../processors/redact/quiet-value.ts';
import { type Finding, TextScanner } from '../../../../processors/redact/text-scanner.ts';
import { TOKEN_CATALOGUE } from '../../../../processors/redact/token-catalogue.ts';
import { catalogueToken, secretCorpus21 } from '../../../support/redaction-corpus.ts';
import { SECRET_KINDS, seededSecret } from '../../../support/seeded-secrets.ts';

const defaults = (e: Entity) => ENTITY_SPECS[e].action !== 'off';
const everything = (_: Entity) => true;

/** Values quietValue passes although the scanner finds something in them. */
function leaks(values: string[], enabled: (e: Entity) => boolean): string[] {
  const scanner = new TextScanner(DEFAULT_QUERY_KEYS, enabled);
  const found: Finding[] = [];
  return values.filter((v) => {
    found.length = 0;
    scanner.scan(v, found);
    return found.length > 0 && quietValue(v, enabled);
  });
}

const PIECES = [
  ...TOKEN_CATALOGUE.flatMap((f) => f.prefixes),
  '10.244.0.7',
  '8.8.8.8',
  '192.168.1.1',
  '127.0.0.1',
  '0.0.0.0',
  '172.16.0.1',
  '100.64.1.1',
  '010.1.1.1',
  '256.1.1.1',
  ':8080',
  ':',
  '//',
  '4111111111111111',
  '4111-1111-1111-1111',
  '123-45-6789',
  '415-555-0100',
  'DE89370400440532013000',
  'de89',
  'QWxhZGRpbjpvcGVuIHNlc2FtZQ',
  'dXNlcjpwYXNzd29yZA',
  'eyJhbGciOiJIUzI1NiJ9',
  'Bearer',
  'token',
  'v1.2.3.4',
  '-',
  '_',
  '.',
  '/',
  '|',
];
const ALPHABET = 'aZ09.-_/|:%=@+(,"\' \t~é';

function randomValue(r: SeededRandom): string {
  let v = '';
  const parts = r.int(1, 6);
  for (let p = 0; p < parts; p++) {
    if (r.chance(0.5)) v += PIECES[r.int(0, PIECES.length - 1)];
    else
      for (let k = r.int(1, 8); k > 0; k--) {
        const c = ALPHABET[r.int(0, ALPHABET.length - 1)]!;
        v += c === 'a' ? String.fromCharCode(97 + r.int(0, 25)) : c === '0' ? String(r.int(0, 9)) : c;
      }
  }
  return v;
}

describe('quietValue', () => {
  const r = new SeededRandom(2311);
  const secrets = [
    ...secretCorpus21(23, 40).flatMap((c) => [c.line, ...c.clear]),
    ...SECRET_KINDS.flatMap((k) => Array.from({ length: 30 }, () => seededSecret(r, k).text)),
  ];
  const tokens = TOKEN_CATALOGUE.flatMap((f) => Array.from({ length: 5 }, () => catalogueToken(r, f)));
  const random = Array.from({ length: 60_000 }, () => randomValue(r));

  it('passes no value in which the scanner finds something (defaults, and every entity on)', () => {
    for (const enabled of [defaults, everything]) {
      expect(leaks(secrets, enabled)).toEqual([]);
      expect(leaks(tokens, enabled)).toEqual([]);
      expect(leaks(random, enabled)).toEqual([]);
    }
  });

  it('rejects every catalogue token and passes the shapes mesh values have', () => {
    expect(tokens.filter((v) => quietValue(v, everything))).toEqual([]);
    const mesh = [
      'GET',
      'http',
      '1.1',
      'via_upstream',
      'outbound|9080||details.default.svc.cluster.local',
      '8aa509dd-7121-4818-88c3-c5866e567ddb',
      '10.244.0.172:9080',
      'python-requests/2.32.3',
      '/details/0',
    ];
    expect(mesh.filter((v) => !quietValue(v, defaults))).toEqual([]);
    // A private address is quiet only while private_ip is off; a public one never is.
    expect(quietValue('10.244.0.172:9080', everything)).toBe(false);
    expect(quietValue('203.0.113.9', defaults)).toBe(false);
  });

  it('is not vacuous: the random values hold both quiet ones and findings', () => {
    const quiet = random.filter((v) => quietValue(v, everything)).length;
    const scanner = new TextScanner(DEFAULT_QUERY_KEYS, everything);
    const found: Finding[] = [];
    const loud = random.filter((v) => {
      found.length = 0;
      scanner.scan(v, found);
      return found.length > 0;
    }).length;
    expect(quiet).toBeGreaterThan(1000);
    expect(loud).toBeGreaterThan(1000);
  });
});

describe('attributes skipped by name', () => {
  it('are scanned by value: a crafted line controls method, cluster and route too', async () => {
    const { redactRecord } = await import('./redact-support.ts');
    const key = 'AKIAIOSFODNN7EXAMPL3';
    const attributes = {
      'http.request.method': key,
      'envoy.upstream_cluster': `outbound|9080||${key}`,
      'envoy.route_name': 'user@example.com',
      'network.protocol.name': key,
    };
    const out = redactRecord('-', attributes).attributes;
    expect(JSON.stringify(out)).not.toContain(key);
    expect(JSON.stringify(out)).not.toContain('user@example.com');
  });
});
