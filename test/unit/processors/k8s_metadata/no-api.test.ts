// Without API access the processor runs on path metadata alone: one warning, the gauge at 0, records
// untouched beyond what the log path gave them.
import { afterEach, expect, it } from 'vitest';
import { FakeKubeApi } from './fake-kube-api.ts';
import { batchFrom, type Running, record, run, until } from './harness.ts';
import { seed } from './kube-objects.ts';

let api: FakeKubeApi | undefined;
let r: Running | undefined;

afterEach(async () => {
  await r?.main.shutdown();
  await api?.close();
  r = undefined;
  api = undefined;
});

const web = { uid: 'uid-web', name: 'web-7d4b9c8f6d-x2k9p', namespace: 'shop' };
const warnings = (x: Running) => x.logLines.filter((l) => l.level === 40);

function assertPathOnly(x: Running): void {
  const b = batchFrom(web, [record({ 'mesh.direction': 'outbound', 'destination.address': '10.0.1.7' })]);
  x.process(b);
  expect(b.resource).toEqual(batchFrom(web, []).resource);
  expect(b.records[0]!.attributes).toEqual({
    'mesh.direction': 'outbound',
    'destination.address': '10.0.1.7',
  });
}

it.each([401, 403])('answered %i: path metadata only, one warning, gauge 0', async (code) => {
  api = new FakeKubeApi();
  await api.listen();
  seed(api);
  api.deny = code;
  r = run({ auth_type: 'none', api_server: api.url, node_name: 'node-a', publish_interval: '20ms' });
  await r.main.start();
  const x = r;
  expect(await until(() => x.snapshot() !== undefined)).toBe(true);
  expect(api.requests.length).toBeGreaterThanOrEqual(3); // node pods, cluster pods, replicasets
  expect(warnings(x)).toHaveLength(1);
  expect(warnings(x)[0]!.msg).toMatch(/no Kubernetes API access; running on path metadata alone/);
  expect(await x.apiAvailable()).toBe(0);
  assertPathOnly(x);
});

it('outside a pod with auth_type serviceAccount: no request, one warning, gauge 0', async () => {
  r = run({ node_name: 'node-a', publish_interval: '20ms' }); // no in-cluster token on a test machine
  await r.main.start();
  const x = r;
  expect(await until(() => x.snapshot() !== undefined)).toBe(true);
  expect(warnings(x)).toHaveLength(1);
  expect(String((warnings(x)[0] as { reason?: string }).reason)).toMatch(/not running in a pod/);
  expect(await x.apiAvailable()).toBe(0);
  assertPathOnly(x);
});
