// The line keeps nothing an attribute hides: a value redact replaced in an attribute is replaced
// where it stands in the body, even in a form the body's own scan does not take for it. An Istio
// line's downstream address is `ip:port`; mesh_parse splits the IP into source.address, where it
// is pseudonymised. Before, the line kept the client's public IP beside its port.
import { describe, expect, it } from 'vitest';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor as meshParse } from '../../../../processors/mesh_parse/worker.ts';
import { redactConfig } from '../../../../processors/redact/config.ts';
import { createProcessor as redact } from '../../../../processors/redact/worker.ts';
import { testContext } from '../../../support/processor-context.ts';

const CLIENT = '203.0.113.78';
const LINE =
  '[2025-10-09T08:53:20.000Z] "GET /productpage HTTP/1.1" 200 - via_upstream - "-" 0 5280 24 24 ' +
  `"${CLIENT}" "python-requests/2.32.3" "8aa509dd-7121-4818-88c3-c5866e567ddb" "bookinfo.example.com" ` +
  '"10.244.2.13:9080" outbound|9080||productpage.default.svc.cluster.local 10.244.1.14:49408 ' +
  `10.244.1.14:8080 ${CLIENT}:44701 - -`;

function run(line: string, config: unknown) {
  const batch = { resource: {}, scope: { name: 't' }, records: [rawRecord(line, 0n)] };
  meshParse(meshParseConfig.parse({}), testContext('mesh_parse'))(batch);
  redact(redactConfig.parse(config), testContext('redact'))(batch);
  return batch.records[0]!;
}

describe('redact: the body follows the attributes', () => {
  it('pseudonymises the client IP beside its port in the line, as in source.address', () => {
    const r = run(LINE, { hash_key: 'test-hash-key-not-secret', hash_key_id: 't' });
    const pseudonym = r.attributes['source.address'] as string;
    expect(pseudonym).not.toBe(CLIENT);
    expect(r.body).not.toContain(CLIENT);
    expect(r.body).toContain(`${pseudonym}:44701`);
    expect(r.body).toContain(`"${pseudonym}"`);
  });

  it('masks it there too with the default actions', () => {
    const r = run(LINE, {});
    expect(r.attributes['source.address']).not.toBe(CLIENT);
    expect(r.body).not.toContain(CLIENT);
  });
});
