// The helper with a scripted in-process transport: queue backpressure, settling on delivery,
// shutdown draining within its deadline, and the self-metrics for each outcome.
import { describe, expect, it } from 'vitest';
import type { Payload } from '../../../../../agent/kit/component.ts';
import { options } from '../../../../../agent/kit/config/schema.ts';
import { exporterHelperOptions } from '../../../../../agent/kit/exporter-helper/exporter-options.ts';
import type { Transport } from '../../../../../agent/kit/exporter-helper/transport.ts';
import { TransportExporter } from '../../../../../agent/kit/exporter-helper/transport-exporter.ts';
import type { SendResult } from '../../../../../agent/kit/retry/send-result.ts';
import { exporterValue, testSettings } from '../../../exporters/test-settings.ts';

const schema = options(exporterHelperOptions);
const payload = (records = 1): Payload => ({ signal: 'logs', bytes: new Uint8Array([1]), records });
const tick = () => new Promise((r) => setImmediate(r));

/** A transport whose sends wait until the test releases them. */
function gatedTransport() {
  const pending: { resolve: (r: SendResult) => void; signal: AbortSignal }[] = [];
  let shutdowns = 0;
  const transport: Transport = {
    send: (_p, signal) =>
      new Promise((resolve) => {
        pending.push({ resolve, signal });
        signal.addEventListener('abort', () => resolve({ kind: 'retryable', error: 'aborted' }));
      }),
    shutdown: async () => {
      shutdowns++;
    },
  };
  return { transport, pending, shutdowns: () => shutdowns };
}

describe('TransportExporter', () => {
  it('settles export on delivery and applies backpressure when the queue is full', async () => {
    const settings = testSettings('otlp_http/bp');
    const gate = gatedTransport();
    const config = schema.parse({ sending_queue: { num_consumers: 1, queue_size: 2 } });
    const exporter = new TransportExporter(settings, config, 'proto', gate.transport);
    await exporter.start();
    expect(await exporterValue(settings, 'queue_capacity')).toBe(2);

    const settled: number[] = [];
    const exports = [1, 2, 3, 4].map((n) => exporter.export(payload(n)).then(() => settled.push(n)));
    await tick();
    // One in flight, two queued, the fourth waits for room.
    expect(gate.pending).toHaveLength(1);
    expect(await exporterValue(settings, 'queue_size')).toBe(2);
    expect(settled).toEqual([]);

    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 50 && gate.pending.length <= i; j++) await tick();
      gate.pending[i]!.resolve({ kind: 'success' });
    }
    await Promise.all(exports);
    expect(settled).toEqual([1, 2, 3, 4]);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(10);
    expect(await exporterValue(settings, 'queue_size')).toBe(0);
    await exporter.shutdown();
  });

  it('drains within drain_timeout, then counts the rest dropped (shutdown) and settles every export', async () => {
    const settings = testSettings('otlp_grpc/drain');
    const gate = gatedTransport();
    const config = schema.parse({
      sending_queue: { num_consumers: 1, queue_size: 10, drain_timeout: '50ms' },
    });
    const exporter = new TransportExporter(settings, config, 'proto', gate.transport);
    await exporter.start();
    const exports = [2, 3, 4].map((n) => exporter.export(payload(n)));
    await tick();
    expect(gate.pending).toHaveLength(1);

    await exporter.shutdown();
    await Promise.all(exports);
    expect(await exporterValue(settings, 'dropped_records_total', { reason: 'shutdown' })).toBe(9);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(0);
    expect(gate.shutdowns()).toBe(1);
    expect(settings.logLines.filter((l) => l.includes('dropped at shutdown'))).toHaveLength(1);

    await exporter.shutdown();
    expect(gate.shutdowns()).toBe(1);
    await exporter.export(payload(5));
    expect(await exporterValue(settings, 'dropped_records_total', { reason: 'shutdown' })).toBe(14);
  });

  it('delivers what is queued when the backend answers before the deadline', async () => {
    const settings = testSettings('file/drain-ok');
    const sent: number[] = [];
    const transport: Transport = {
      send: async (p) => {
        sent.push(p.records);
        return { kind: 'success' };
      },
      shutdown: async () => {},
    };
    const exporter = new TransportExporter(
      settings,
      schema.parse({ sending_queue: { num_consumers: 2 } }),
      'json',
      transport,
    );
    await exporter.start();
    const exports = [1, 2, 3].map((n) => exporter.export(payload(n)));
    await exporter.shutdown();
    await Promise.all(exports);
    expect(sent.sort()).toEqual([1, 2, 3]);
    expect(await exporterValue(settings, 'dropped_records_total')).toBe(0);
  });

  it('sends directly when the queue is disabled, and shutdown is safe before start', async () => {
    const settings = testSettings('debug/direct');
    const never = new TransportExporter(settings, schema.parse({}), 'json', gatedTransport().transport);
    await never.shutdown();
    await never.shutdown();

    let calls = 0;
    const transport: Transport = {
      send: async () => (++calls === 1 ? { kind: 'retryable', error: 'once' } : { kind: 'success' }),
      shutdown: async () => {},
    };
    const config = schema.parse({
      sending_queue: { enabled: false },
      retry_on_failure: { initial_interval: '1ms', max_interval: '1ms' },
    });
    const exporter = new TransportExporter(settings, config, 'json', transport);
    await exporter.start();
    await exporter.export(payload(3));
    expect(calls).toBe(2);
    expect(await exporterValue(settings, 'retries_total')).toBe(1);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(3);
    await exporter.shutdown();
  });

  it('refuses export before start (a wiring bug, not data loss)', async () => {
    const exporter = new TransportExporter(
      testSettings('x'),
      schema.parse({}),
      'json',
      gatedTransport().transport,
    );
    await expect(exporter.export(payload())).rejects.toThrow(/before start/);
  });
});
