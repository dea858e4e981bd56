// A million generated lines in 12 pod files (CRI-wrapped and raw) → `meshtail run` → the real
// OpenTelemetry Collector, over otlp_grpc and otlp_http (protobuf), plus a smaller run with
// otlp_http encoding: json. Every id arrives exactly once, with its file and k8s attributes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { awaitDelivery, type ExportRun, startExport } from '../support/export-run.ts';
import { type GeneratedLogs, generateLogs } from '../support/generated-logs.ts';

const MILLION = 1_000_000;
const SMALL = 50_000;
requireCollector();

describe('export to the real Collector', () => {
  let dir: string;
  let million: GeneratedLogs;
  let small: GeneratedLogs;
  let collector: Collector | undefined;
  let run: ExportRun | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshtail-export-'));
    million = generateLogs(join(dir, 'million'), { lines: MILLION, files: 12, rawEvery: 4 });
    small = generateLogs(join(dir, 'small'), { lines: SMALL, files: 5, rawEvery: 5 });
  });

  afterEach(async () => {
    await run?.meshtail.stop('SIGKILL');
    await collector?.stop();
    run = undefined;
    collector = undefined;
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function exportAll(name: string, logs: GeneratedLogs, exporter: (c: Collector) => object) {
    const started = Date.now();
    collector = await Collector.start(join(dir, name));
    run = await startExport(join(dir, name, 'agent'), logs, {
      id: name,
      config: exporter(collector) as Record<string, unknown>,
    });
    const report = await awaitDelivery(collector, run, logs.lines, 90_000);
    const sent = await run.meshtail.metric('meshtail_exporter_sent_records_total');
    if (report.received !== logs.lines) console.log(name, report, await run.meshtail.metrics());
    const exit = await run.meshtail.stop();
    console.log(`${name}: ${report.received} records in ${Date.now() - started} ms`);
    expect(report, `meshtail log tail:\n${run.meshtail.log().slice(-2000)}`).toEqual({
      received: logs.lines,
      unique: logs.lines,
      missing: 0,
      duplicates: 0,
      unknown: 0,
      badAttributes: 0,
      examples: [],
    });
    expect(sent).toBe(logs.lines);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(collector.output.tornLines).toBe(0);
  }

  it('delivers 1M lines over otlp_grpc, every id once, attributes intact', async () => {
    await exportAll('otlp_grpc', million, (c) => ({ endpoint: c.grpcEndpoint, tls: { insecure: true } }));
  });

  it('delivers 1M lines over otlp_http (protobuf), every id once, attributes intact', async () => {
    await exportAll('otlp_http', million, (c) => ({ endpoint: c.httpEndpoint }));
  });

  it('delivers over otlp_http with encoding: json', async () => {
    await exportAll('otlp_http/json', small, (c) => ({ endpoint: c.httpEndpoint, encoding: 'json' }));
  });
});
