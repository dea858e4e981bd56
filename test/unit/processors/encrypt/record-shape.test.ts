// encrypt keeps a record's V8 fast properties where it only replaces values and adds its bundle: a
// store through a computed key that adds an attribute (a[NAME] = v) turns a record of ~37
// attributes into a dictionary, which every later read and the encoder's walk pay for (bench/
// RESULTS.md, encrypt "Session 30"). A record that loses a sealed attribute (delete) becomes one
// anyway. V8 tells only with --allow-natives-syntax, so the check runs in a child node.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempKeyring } from '../../../support/encrypt-keyring.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

const script = (keys: string) => `
import { createTraffic } from '${root}agent/demo/istio-traffic.ts';
import { rawRecord } from '${root}agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '${root}processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '${root}processors/mesh_parse/worker.ts';
import { encryptConfig } from '${root}processors/encrypt/config.ts';
import { createProcessor as createEncrypt } from '${root}processors/encrypt/worker.ts';
import { stateOf } from '${root}test/support/encrypt-keyring.ts';
const state = stateOf(${JSON.stringify(keys)});
const noop = { count: () => {}, emit: () => {} };
const parse = createMeshParse(meshParseConfig.parse({}), { id: 'mesh_parse', ...noop });
const encrypt = createEncrypt(encryptConfig.parse({}), { id: 'encrypt', state: { current: () => state }, ...noop });
const traffic = createTraffic({ seed: 5, replicas: 3 });
let kept = 0, fast = 0, deleted = 0, sealed = 0;
for (let b = 0; b < 3; b++) {
  const records = [];
  for (let i = 0; i < 700; i++) {
    const r = rawRecord(traffic.next(1_760_000_000_000_000_000n + BigInt(b * 700 + i) * 1_000_000n).line, 0n);
    r.attributes['log.file.path'] = '/var/log/pods/a/istio-proxy/0.log';
    records.push(r);
  }
  const batch = { resource: {}, scope: { name: 't' }, records };
  parse(batch);
  const before = records.map((r) => Object.keys(r.attributes));
  const wasFast = records.map((r) => %HasFastProperties(r.attributes));
  encrypt(batch);
  for (const [i, r] of records.entries()) {
    if (r.attributes['meshtail.encrypted'] === undefined) continue;
    sealed++;
    if (before[i].some((k) => !(k in r.attributes))) { deleted++; continue; }
    if (!wasFast[i]) continue;
    kept++;
    if (%HasFastProperties(r.attributes)) fast++;
  }
}
console.log(JSON.stringify({ sealed, deleted, kept, fast }));
`;

describe('encrypt record shape', () => {
  it('keeps fast properties on every sealed record that lost no attribute', () => {
    const out = execFileSync(
      process.execPath,
      ['--allow-natives-syntax', '--input-type=module', '-e', script(tempKeyring().dir)],
      { encoding: 'utf8', cwd: root },
    );
    const { sealed, deleted, kept, fast } = JSON.parse(out.trim().split('\n').pop()!);
    // The demo's access records are all sealed (client.address recoverable, the body's spans), and
    // some lose x-forwarded-for; most keep every attribute.
    expect(sealed).toBeGreaterThan(1500);
    expect(deleted).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(sealed / 2);
    expect(fast).toBe(kept);
  });
});
