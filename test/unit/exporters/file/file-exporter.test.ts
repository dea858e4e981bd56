import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Exporter, Payload } from '../../../../agent/kit/component.ts';
import { fileFactory } from '../../../../exporters/file/factory.ts';
import { exporterValue, testSettings } from '../test-settings.ts';

let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.shutdown();
  exporter = undefined;
});

const request = (signal: Payload['signal'], n: number): Payload => {
  const key = { logs: 'resourceLogs', traces: 'resourceSpans', metrics: 'resourceMetrics' }[signal];
  const json = JSON.stringify({
    [key]: [{ resource: { attributes: [{ key: 'n', value: { intValue: String(n) } }] } }],
  });
  return { signal, bytes: new TextEncoder().encode(json), records: 1 };
};

it('appends one OTLP/JSON request per line, creating parent directories', async () => {
  const settings = testSettings('file/audit');
  const path = join(settings.dataDir, 'nested', 'dir', 'audit.jsonl');
  exporter = fileFactory.create(settings, fileFactory.config.parse({ path }));
  expect(exporter.encoding).toBe('json');
  await exporter.start();
  const payloads = Array.from({ length: 50 }, (_, i) =>
    request((['logs', 'traces', 'metrics'] as const)[i % 3]!, i),
  );
  await Promise.all(payloads.map((p) => exporter!.export(p)));
  await exporter.shutdown();

  const lines = readFileSync(path, 'utf8').split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(50);
  const seen = lines.map(
    (l) => JSON.parse(l) as Record<string, { resource: { attributes: { value: { intValue: string } }[] } }[]>,
  );
  const ns = seen
    .map((o) => Number(Object.values(o)[0]![0]!.resource.attributes[0]!.value.intValue))
    .sort((a, b) => a - b);
  expect(ns).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect(await exporterValue(settings, 'sent_records_total')).toBe(50);
});

it('keeps what the file already held (append, not truncate)', async () => {
  const settings = testSettings('file/append');
  const path = join(settings.dataDir, 'out.jsonl');
  appendFileSync(path, '{"resourceLogs":[]}\n');
  exporter = fileFactory.create(settings, fileFactory.config.parse({ path }));
  await exporter.start();
  await exporter.export(request('logs', 7));
  await exporter.shutdown();
  expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
});

it('requires a path and rejects unknown keys', () => {
  expect(fileFactory.config.safeParse({}).success).toBe(false);
  expect(fileFactory.config.safeParse({ path: '/tmp/x', rotate: true }).success).toBe(false);
  const parsed = fileFactory.config.parse({ path: '/tmp/x' });
  expect(parsed.sending_queue.queue_size).toBe(1000);
  expect(parsed.retry_on_failure.max_elapsed_time).toBe(300_000);
});

it('is safe to shut down before start and twice', async () => {
  const settings = testSettings('file/idle');
  const e = fileFactory.create(
    settings,
    fileFactory.config.parse({ path: join(settings.dataDir, 'never.jsonl') }),
  );
  await e.shutdown();
  await e.shutdown();
});
