// body: in_place on the demo's Istio traffic after mesh_parse and redact, as the pipeline hands it
// to encrypt: every line comes back byte for byte from decrypt, and no covered line keeps a value.
import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openRecord } from '../../../../agent/cli/record-opener.ts';
import { createTraffic } from '../../../../agent/demo/istio-traffic.ts';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import {
  DEFAULT_ENCRYPT_FIELDS,
  DEFAULT_PSEUDONYMIZE_FIELDS,
} from '../../../../processors/encrypt/config.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../../../../processors/mesh_parse/worker.ts';
import { redactConfig } from '../../../../processors/redact/config.ts';
import { createProcessor as createRedact } from '../../../../processors/redact/worker.ts';
import { stateOf, tempKeyring } from '../../../support/encrypt-keyring.ts';
import { encryptor, jsonRecord } from './harness.ts';

const LINES = 3000;

describe('encrypt body: in_place on the demo traffic', () => {
  it('restores every line exactly and leaves no sensitive value in a covered line', () => {
    const traffic = createTraffic({ seed: 7, replicas: 3 });
    const lines = Array.from(
      { length: LINES },
      (_, i) => traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 1000n).line,
    );
    const batch = { resource: {}, scope: { name: 'meshtail' }, records: lines.map((l) => rawRecord(l, 0n)) };
    createMeshParse(meshParseConfig.parse({}), { id: 'mesh_parse', count: () => {}, emit: () => {} })(batch);
    createRedact(redactConfig.parse({ hash_key: 'test-hash-key-not-secret', hash_key_id: 't' }))(batch);
    const before = batch.records.map((r) => ({ body: r.body as string, attributes: { ...r.attributes } }));
    const state = stateOf(tempKeyring().dir);
    const enc = encryptor(state);
    enc.run(batch.records);
    const keys = new Map(
      Object.entries(state.keys).map(([k, b]) => [k, createSecretKey(Buffer.from(b, 'base64'))]),
    );

    let covered = 0;
    for (const [i, r] of batch.records.entries()) {
      const { body, attributes } = before[i]!;
      if (typeof r.body === 'string' && r.attributes['meshtail.encrypted'] !== undefined) {
        covered++;
        for (const f of [...DEFAULT_ENCRYPT_FIELDS, ...DEFAULT_PSEUDONYMIZE_FIELDS]) {
          const v = attributes[f];
          if (typeof v === 'string' && v !== '') expect(r.body).not.toContain(v);
        }
        // The demo's clients come from TEST-NET-3: no public client address stays in a line, in
        // whatever form the line holds it (quoted, or beside a port).
        expect(r.body).not.toMatch(/203\.0\.113\.\d/);
      }
      const json = jsonRecord(r);
      expect(openRecord(json, keys).kind).not.toBe('failed');
      expect(json.body).toEqual({ stringValue: body });
    }
    // The demo's access lines all carry client.address: most keep a readable line.
    expect(covered).toBeGreaterThan(LINES * 0.9);
    expect(enc.counts.get('body_in_place')).toBe(covered);
  });
});
