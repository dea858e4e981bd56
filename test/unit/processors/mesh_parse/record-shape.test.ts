// mesh_parse's access records keep V8's fast properties: a store through a computed key that adds
// an attribute (a[name] = v) turns a record of ~33 attributes into a dictionary, which made the
// encoder's enumeration and mesh_parse itself much slower (bench/RESULTS.md, "mesh_parse record
// shape"). V8 tells only with --allow-natives-syntax, so the check runs in a child node.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

const SCRIPT = `
import { createTraffic } from '${root}agent/demo/istio-traffic.ts';
import { rawRecord } from '${root}agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '${root}processors/mesh_parse/config.ts';
import { createProcessor } from '${root}processors/mesh_parse/worker.ts';
const process_ = createProcessor(meshParseConfig.parse({
  required: ['mesh.source.workload', 'user.id'],
  user_id: { from: [{ header: 'x-user-id' }] },
}));
const traffic = createTraffic({ seed: 3, replicas: 2 });
const records = [];
for (let i = 0; i < 1000; i++) {
  const r = rawRecord(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 1_000_000n).line, 0n);
  r.attributes['log.iostream'] = 'stdout';
  for (const [k, v] of Object.entries({ 'log.file.path': '/var/log/pods/a/istio-proxy/0.log' })) r.attributes[k] = v;
  records.push(r);
}
process_({ resource: { 'k8s.pod.name': 'reviews-v2-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'default' }, scope: { name: 't' }, records });
const access = records.filter((r) => r.attributes['meshtail.log.kind'] === 'access');
const fast = access.filter((r) => %HasFastProperties(r.attributes)).length;
const sizes = access.map((r) => Object.keys(r.attributes).length);
console.log(JSON.stringify({ access: access.length, fast, minAttributes: Math.min(...sizes) }));
`;

describe('mesh_parse record shape', () => {
  it('keeps every access record out of dictionary mode', () => {
    const out = execFileSync(
      process.execPath,
      ['--allow-natives-syntax', '--input-type=module', '-e', SCRIPT],
      { encoding: 'utf8', cwd: root },
    );
    const { access, fast, minAttributes } = JSON.parse(out.trim().split('\n').pop()!);
    expect(access).toBeGreaterThan(900);
    expect(minAttributes).toBeGreaterThan(25);
    expect(fast).toBe(access);
  });
});
