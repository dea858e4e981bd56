// The fixture corpus (test/fixtures/mesh/*.jsonl): real lines from public Istio, Envoy and Linkerd
// docs, tests and blogs, each with its source, plus generated ones, parsed to the expected fields.
// Row: { source, line, expect: { <attribute>: value, $severity, $time, $traceId, $spanId, $absent },
// config?, resource? }.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Attributes, LogRecord } from '../../../../agent/kit/record/record.ts';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../../../processors/mesh_parse/worker.ts';

interface Row {
  source: string;
  line: string;
  expect: Record<string, unknown>;
  config?: unknown;
  resource?: Attributes;
}

const DIR = new URL('../../../fixtures/mesh/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));
const processors = new Map<string, ReturnType<typeof createProcessor>>();

function parseLine(line: string, config: unknown = {}, resource: Attributes = {}): LogRecord {
  const key = JSON.stringify(config);
  let p = processors.get(key);
  if (!p) {
    p = createProcessor(meshParseConfig.parse(config ?? {}));
    processors.set(key, p);
  }
  const r = rawRecord(line, 1n);
  p({ resource, scope: { name: 'test' }, records: [r] });
  return r;
}

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

describe.each(files)('%s', (file) => {
  const rows = readFileSync(new URL(file, DIR), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);

  it('names a source for every line', () => {
    for (const row of rows) expect(row.source, row.line).toMatch(/\S/);
  });

  it.each(rows.map((row, i) => [i + 1, row] as const))('line %i', (_, row) => {
    const r = parseLine(row.line, row.config, row.resource);
    const a = r.attributes;
    for (const [key, want] of Object.entries(row.expect)) {
      if (key === '$severity') expect(r.severityNumber, key).toBe(want);
      else if (key === '$time') expect(r.timeUnixNano.toString(), key).toBe(want);
      else if (key === '$traceId') expect(hex(r.traceId), key).toBe(want);
      else if (key === '$spanId') expect(hex(r.spanId), key).toBe(want);
      else if (key === '$absent') for (const k of want as string[]) expect(a[k], k).toBeUndefined();
      else expect(a[key], key).toEqual(want);
    }
    if (!('meshtail.parse.error' in row.expect)) expect(a['meshtail.parse.error']).toBeUndefined();
  });
});
