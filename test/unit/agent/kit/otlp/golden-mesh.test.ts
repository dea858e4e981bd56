// The encoder's bytes for mesh_parse'd records must not move when the encoder or mesh_parse's record
// building is made faster: the demo's traffic (access, proxy and truncated lines, a denial storm)
// plus every line of the mesh corpus, parsed with labels and user.id, encoded as protobuf and JSON,
// against the digests recorded before those changes (test/fixtures/otlp/mesh-golden.json).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTraffic } from '../../../../../agent/demo/istio-traffic.ts';
import { encodeLogs } from '../../../../../agent/kit/otlp/encoder.ts';
import type { LogRecord, ResourceLogs } from '../../../../../agent/kit/record/record.ts';
import { rawRecord } from '../../../../../agent/kit/worker/raw-decoder.ts';
import { splitByTenant } from '../../../../../agent/pool/tenant-split.ts';
import { meshParseConfig } from '../../../../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../../../../processors/mesh_parse/worker.ts';
import { testContext } from '../../../../support/processor-context.ts';

const fixtures = new URL('../../../../fixtures/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('otlp/mesh-golden.json', fixtures), 'utf8')) as Record<
  string,
  { bytes: number; sha256: string }
>;

function corpusLines(): string[] {
  const lines: string[] = [];
  for (const name of ['real-text.jsonl', 'real-json-linkerd.jsonl', 'generated.jsonl']) {
    for (const row of readFileSync(new URL(`mesh/${name}`, fixtures), 'utf8').split('\n')) {
      if (row.trim() !== '') lines.push((JSON.parse(row) as { line: string }).line);
    }
  }
  return lines;
}

function parsedBatches(): ResourceLogs[] {
  const process = createProcessor(
    meshParseConfig.parse({
      required: ['mesh.source.workload', 'mesh.destination.service', 'user.id'],
      user_id: { from: [{ header: 'x-user-id' }] },
    }),
    testContext('golden'),
  );
  const traffic = createTraffic({ seed: 7, replicas: 2 });
  const byPod = new Map<string, ResourceLogs>();
  for (let i = 0; i < 3000; i++) {
    const t = 1_760_000_000_000_000_000n + BigInt(i) * 1_000_003n;
    const l = traffic.next(t, i % 9 === 0 ? 'deny_storm' : 'normal');
    let batch = byPod.get(l.pod.name);
    if (!batch) {
      const resource = { 'k8s.pod.name': l.pod.name, 'k8s.namespace.name': l.pod.namespace };
      batch = { resource, scope: { name: 'meshtail', version: '0.1.0' }, records: [] };
      byPod.set(l.pod.name, batch);
    }
    const r: LogRecord = rawRecord(l.line, t);
    r.attributes['log.iostream'] = 'stdout';
    batch.records.push(r);
  }
  const corpus: ResourceLogs = {
    resource: { 'k8s.pod.name': 'reviews-v2-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'default' },
    scope: { name: 'meshtail' },
    records: corpusLines().map((line, i) => rawRecord(line, 1_700_000_000_000_000_000n + BigInt(i))),
  };
  const batches = [...byPod.values(), corpus];
  for (const b of batches) process(b);
  return batches;
}

const digest = (b: Uint8Array) => ({ bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') });

describe('OTLP bytes of mesh_parse records stay as recorded', () => {
  const batches = parsedBatches();

  it('parses what it should (the digests below cover real records)', () => {
    const records = batches.flatMap((b) => b.records);
    expect(records.length).toBeGreaterThan(3200);
    const access = records.filter((r) => r.attributes['meshtail.log.kind'] === 'access');
    expect(access.length).toBeGreaterThan(2500);
    expect(Object.keys(access[0]!.attributes).length).toBeGreaterThan(25);
  });

  it('protobuf', () => {
    expect(digest(encodeLogs(batches, 'proto'))).toEqual(golden.proto);
  });

  it('OTLP/JSON', () => {
    expect(digest(encodeLogs(batches, 'json'))).toEqual(golden.json);
  });

  it('protobuf per tenant part, as the worker encodes them', () => {
    const tenanted = parsedBatches();
    tenanted.forEach((b, i) => {
      b.records.forEach((r, j) => {
        if ((i + j) % 3 !== 0) r.attributes['meshtail.tenant'] = (i + j) % 3 === 1 ? 'shop' : 'payments';
        if (j % 4 === 0) r.attributes['data.classification'] = 'confidential';
      });
    });
    const parts = tenanted.flatMap((b) => splitByTenant(b).map((p) => p.batch));
    expect(parts.length).toBeGreaterThan(tenanted.length * 3);
    expect(digest(encodeLogs(parts, 'proto'))).toEqual(golden.parts);
  });
});
