// otlp_http with compression zstd (the default level and a high one) and gzip at level 1 → the
// real Collector's OTLP/HTTP receiver, which decodes each Content-Encoding itself: every id
// arrives exactly once with its attributes, so the Collector read every body meshtail compressed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { awaitDelivery, type ExportRun, startExport } from '../support/export-run.ts';
import { type GeneratedLogs, generateLogs } from '../support/generated-logs.ts';

const LINES = 30_000;
requireCollector();

describe('otlp_http compression against the real Collector', () => {
  let dir: string;
  let logs: GeneratedLogs;
  let collector: Collector | undefined;
  let run: ExportRun | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshtail-compression-'));
    logs = generateLogs(join(dir, 'logs'), { lines: LINES, files: 4, rawEvery: 4 });
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

  it.each([
    ['zstd', undefined],
    ['zstd', 19],
    ['gzip', 1],
  ])('%s level %s: every line once', async (compression, level) => {
    const name = `${compression}-${level ?? 'default'}`;
    const compression_params = level === undefined ? {} : { level };
    collector = await Collector.start(join(dir, name));
    const config = { endpoint: collector.httpEndpoint, compression, compression_params };
    run = await startExport(join(dir, name, 'agent'), logs, { id: `otlp_http/${name}`, config });
    const report = await awaitDelivery(collector, run, LINES, 90_000);
    const sent = await run.meshtail.metric('meshtail_exporter_sent_records_total');
    const failed = await run.meshtail.metric('meshtail_exporter_failed_records_total');
    const exit = await run.meshtail.stop();
    expect(report, `meshtail log tail:\n${run.meshtail.log().slice(-2000)}`).toEqual({
      received: LINES,
      unique: LINES,
      missing: 0,
      duplicates: 0,
      unknown: 0,
      badAttributes: 0,
      examples: [],
    });
    expect(sent).toBe(LINES);
    expect(failed).toBe(0);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
