// The line's scan skips what the attributes' scans saw (line-cover.ts). Compared with the whole-line
// scan on the same records: identical bodies, attributes and counts on the demo traffic and the
// seeded-secret corpus; and the places where the two could part are tried one by one.
import { describe, expect, it } from 'vitest';
import { createTraffic } from '../../../../agent/demo/istio-traffic.ts';
import type { Attributes, LogRecord } from '../../../../agent/kit/record/record.ts';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor as meshParse } from '../../../../processors/mesh_parse/worker.ts';
import { AllowList } from '../../../../processors/redact/allow-list.ts';
import { redactConfig } from '../../../../processors/redact/config.ts';
import { HeaderRules } from '../../../../processors/redact/header-rules.ts';
import { KeyedHash } from '../../../../processors/redact/keyed-hash.ts';
import { type CoverHint, coverShape, LineCover } from '../../../../processors/redact/line-cover.ts';
import { RecordRedactor } from '../../../../processors/redact/record-redactor.ts';
import { Replacement } from '../../../../processors/redact/replacement.ts';
import { TextScanner } from '../../../../processors/redact/text-scanner.ts';
import { HEADERS_FORMAT, secretCorpus } from '../../../support/secret-corpus.ts';

interface Run {
  records: LogRecord[];
  counts: string[];
}

/** Redacts copies of `records` with the line covered or scanned whole; counts in record order. */
function redactAll(records: LogRecord[], coverLine: boolean, config: unknown = {}): Run {
  const c = redactConfig.parse(config);
  const counts: string[] = [];
  const redactor = new RecordRedactor({
    scanner: new TextScanner(c.query_keys, (e) => c.actions[e] !== 'off'),
    headers: new HeaderRules(c.secret_headers),
    replacement: new Replacement(
      c.actions,
      c.mask_style,
      new KeyedHash({ id: 't', key: Buffer.from('test-hash-key-not-secret') }),
    ),
    allow: new AllowList(c.allow),
    count: (e) => counts.push(e),
    maxValueSize: c.max_value_size,
    coverLine,
  });
  const copies = structuredClone(records);
  copies.forEach((r, i) => {
    try {
      redactor.redact(r);
    } catch {
      counts.push(`failed ${i}`);
    }
    counts.push('|');
  });
  return { records: copies, counts };
}

function parsed(lines: string[]): LogRecord[] {
  const batch = { resource: {}, scope: { name: 't' }, records: lines.map((l) => rawRecord(l, 0n)) };
  meshParse(meshParseConfig.parse({ formats: [HEADERS_FORMAT] }))(batch);
  return batch.records;
}

function record(body: string, attributes: Attributes): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body,
    attributes,
  };
}

/** The body with the line covered, after checking it equals the whole-line scan's. */
function sameAsWhole(body: string, attributes: Attributes, config: unknown = {}): string {
  const covered = redactAll([record(body, attributes)], true, config);
  const whole = redactAll([record(body, attributes)], false, config);
  expect(covered.records[0]).toEqual(whole.records[0]);
  expect(covered.counts).toEqual(whole.counts);
  return covered.records[0]!.body as string;
}

/** How much of each line the attributes cover, over all records. */
function coveredShare(records: LogRecord[]): number {
  const cover = new LineCover();
  const hints = new Map<string, CoverHint>();
  let covered = 0;
  let total = 0;
  for (const r of records) {
    cover.reset(r.body as string);
    for (const [k, v] of Object.entries(r.attributes)) {
      if (typeof v !== 'string') continue;
      if (!hints.has(k)) hints.set(k, { offset: Number.NaN, at: Number.NaN, misses: 0 });
      cover.add(v, coverShape(v), hints.get(k)!);
    }
    const s = cover.stretches();
    let until = 0;
    for (let k = 0; k < s.length; k += 2) {
      covered += Math.max(0, s[k + 1]! - Math.max(until, s[k]!));
      until = Math.max(until, s[k + 1]!);
    }
    total += (r.body as string).length;
  }
  return covered / total;
}

describe('redact: the line scanned only where no attribute holds it', () => {
  const traffic = createTraffic({ seed: 7, replicas: 3 });
  const demo = parsed(
    Array.from(
      { length: 3000 },
      (_, i) => traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 1_000_000n).line,
    ),
  );
  const seeded = parsed(secretCorpus(20261207, 3000).map((c) => c.line));

  it('covers most of a demo line (the comparisons below are not vacuous)', () => {
    expect(coveredShare(demo)).toBeGreaterThan(0.5);
    expect(coveredShare(seeded)).toBeGreaterThan(0.3);
  });

  for (const [name, config] of [
    ['redact: {}', {}],
    ['private_ip: hash', { actions: { private_ip: 'hash' } }],
    ['ip: partial, email: mask', { actions: { ip: 'partial', email: 'mask' } }],
  ] as const) {
    it(`gives the whole-line scan's records and counts, ${name}`, () => {
      for (const records of [demo, seeded]) {
        const covered = redactAll(records, true, config);
        const whole = redactAll(records, false, config);
        expect(covered.counts.length).toBeGreaterThan(records.length);
        expect(covered.counts).toEqual(whole.counts);
        expect(covered.records).toEqual(whole.records);
      }
    });
  }

  it('scans a part of the line no attribute holds: a field removed before redact', () => {
    const r = demo.find((d) => typeof d.attributes['user_agent.original'] === 'string')!;
    const ua = r.attributes['user_agent.original'] as string;
    const body = (r.body as string).replace(ua, 'probe alice@example.com');
    const { 'user_agent.original': _removed, ...rest } = r.attributes;
    expect(sameAsWhole(body, rest)).not.toContain('alice@example.com');
  });

  it('scans the whole line of a parse error or an unknown format', () => {
    const line = 'oops: upstream said Authorization: Bearer abcdefghijklmnop0123456789 for bob@example.com';
    const [r] = parsed([line]);
    const out = sameAsWhole(r!.body as string, r!.attributes);
    expect(out).not.toContain('abcdefghijklmnop0123456789');
    expect(out).not.toContain('bob@example.com');
  });

  it('scans a value that appears again where its neighbours make it a secret', () => {
    const out = sameAsWhole('"ab12cd34ef56" password=ab12cd34ef56 end', { id: 'ab12cd34ef56' });
    expect(out).toMatch(/^"ab12cd34ef56" password=\[REDACTED:secret_value\] end$/);
  });

  it('replaces every copy of a replaced value', () => {
    const out = sameAsWhole('"203.0.113.9" x 203.0.113.9:4431 "203.0.113.9"', {
      'client.address': '203.0.113.9',
    });
    expect(out).not.toContain('203.0.113.9');
  });

  it('does not let a value cover part of a longer token', () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJklmnop';
    let out = sameAsWhole(`"x" ${token} "y"`, { a: token.slice(0, 12) });
    expect(out).not.toContain(token.slice(4));
    out = sameAsWhole('mail bob@example.com now', { host: 'example.com', user: 'mail bob' });
    expect(out).not.toContain('bob@example.com');
  });

  it('does not let a number run split across fields hide: a card, an SSN or phone after a keyword', () => {
    let out = sameAsWhole('"card" 4111 1111 1111 1111 "x"', { a: '4111 1111', b: '1111 1111' });
    expect(out).not.toContain('4111 1111 1111 1111');
    out = sameAsWhole('ssn "078051120" end', { ssn: '078051120' });
    expect(out).not.toContain('078051120');
    out = sameAsWhole('tel: "4155550100" end', { n: '4155550100' });
    expect(out).not.toContain('4155550100');
  });

  it('still finds a secret whose key is outside the value: key=value, JSON, a scheme before a token', () => {
    let out = sameAsWhole('{"password":"hunter2-horse","path":"/a"}', { v: 'hunter2-horse', path: '/a' });
    expect(out).not.toContain('hunter2-horse');
    out = sameAsWhole('auth Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0 done', {
      t: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    });
    expect(out).not.toContain('9f8e7d6c5b4a39281706f5e4d3c2b1a0');
  });

  it('reads on past a value where the detectors do: an AWS secret near a key id, a PEM block', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    let out = sameAsWhole(`"AKIAIOSFODNN7EXAMPLE" "${secret}"`, { id: 'AKIAIOSFODNN7EXAMPLE' });
    expect(out).not.toContain(secret);
    const pem = '-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC -----END PRIVATE KEY-----';
    out = sameAsWhole(`"${pem}"`, { k: pem.slice(0, 40) });
    expect(out).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  it('scrubs the line where an attribute-scoped allow rule let the attribute pass', () => {
    const config = { allow: [{ entity: 'ip', attribute: 'destination.address' }] };
    const out = sameAsWhole('"198.51.100.7" ok', { 'destination.address': '198.51.100.7' }, config);
    expect(out).not.toContain('198.51.100.7');
  });

  it('scans JSON-escaped and non-ASCII values as the whole line does', () => {
    const v = 'say "hi" to bob@example.com';
    let out = sameAsWhole(`{"msg":${JSON.stringify(v)},"ua":"Zürich-Client/1.0"}`, {
      msg: v,
      ua: 'Zürich-Client/1.0',
    });
    expect(out).not.toContain('bob@example.com');
    out = sameAsWhole('"Zürich straße" carol@example.org "Zürich straße"', { city: 'Zürich straße' });
    expect(out).not.toContain('carol@example.org');
  });

  it('scans a body longer than its attributes past the last one', () => {
    const out = sameAsWhole('"GET /a HTTP/1.1" 200 "/a" trailing token=s3cr3tvalue99', { path: '/a' });
    expect(out).not.toContain('s3cr3tvalue99');
  });
});
