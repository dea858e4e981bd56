// The live view's reader of export.jsonl: only what was appended since the last poll, only whole
// lines (the exporter may be mid-write), OTLP/JSON values unwrapped.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportTail } from '../../../../agent/demo/export-tail.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const request = (...records: Record<string, unknown>[]) =>
  JSON.stringify({
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: records.map((r) => ({
              attributes: Object.entries(r).map(([key, value]) => ({ key, value })),
            })),
          },
        ],
      },
    ],
  });

describe('ExportTail', () => {
  it('returns nothing before the file exists, then each record once, across partial writes', () => {
    const root = mkdtempSync(join(tmpdir(), 'meshtail-tail-'));
    roots.push(root);
    const file = join(root, 'export.jsonl');
    const tail = new ExportTail(file);
    expect(tail.poll()).toEqual([]);

    const first = request(
      { 'user.id': { stringValue: 'jason' }, 'http.response.status_code': { intValue: '403' } },
      { 'envoy.response_flags': { arrayValue: { values: [{ stringValue: 'UH' }] } } },
    );
    const second = request({ 'url.path': { stringValue: '/ratings/0' } });
    appendFileSync(file, `${first}\n${second.slice(0, 20)}`);
    expect(tail.poll()).toEqual([
      { 'user.id': 'jason', 'http.response.status_code': 403 },
      { 'envoy.response_flags': ['UH'] },
    ]);
    // The rest of the half-written line arrives: it is parsed whole, the first line not again.
    appendFileSync(file, `${second.slice(20)}\n`);
    expect(tail.poll()).toEqual([{ 'url.path': '/ratings/0' }]);
    expect(tail.poll()).toEqual([]);
    tail.close();
  });
});
