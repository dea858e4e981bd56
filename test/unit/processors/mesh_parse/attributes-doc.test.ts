// docs/attributes.md names every attribute mesh_parse writes: a literal attribute name in the
// processor's sources that the doc does not mention fails this test.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const SRC = new URL('../../../../processors/mesh_parse/', import.meta.url);
const DOC = readFileSync(new URL('../../../../docs/attributes.md', import.meta.url), 'utf8');
const NAME =
  /'((?:http|url|network|server|client|source|destination|user_agent|envoy|mesh|meshtail|linkerd|rpc|code|thread|user)\.[a-z_.-]+)'/g;
// Input keys of Linkerd's JSON and ztunnel's pairs, not attributes; prefixes built with a suffix.
const NOT_ATTRIBUTES = new Set(['client.addr', 'client.id', 'mesh.source', 'mesh.destination']);

it('documents every attribute the processor writes', () => {
  const names = new Set<string>();
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(new URL(file, SRC), 'utf8').matchAll(NAME)) names.add(m[1]!);
  }
  expect(names.size).toBeGreaterThan(50);
  const missing = [...names].filter((n) => !NOT_ATTRIBUTES.has(n) && !DOC.includes(`\`${n}\``));
  expect(missing).toEqual([]);
});
