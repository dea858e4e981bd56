import { describe, expect, it } from 'vitest';
import type { Payload } from '../../../../agent/kit/component.ts';
import { createDebugExporter } from '../../../../exporters/debug/debug-exporter.ts';
import { debugFactory } from '../../../../exporters/debug/factory.ts';
import { exporterValue, testSettings } from '../test-settings.ts';

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const resource = { attributes: [str('service.name', 'checkout')] };
const scope = { name: 'meshtail', version: '0.1.0' };

const LOGS = {
  resourceLogs: [
    {
      resource,
      scopeLogs: [
        {
          scope,
          logRecords: [
            {
              timeUnixNano: '1700000000123456789',
              observedTimeUnixNano: '1700000000200000000',
              severityNumber: 9,
              severityText: 'INFO',
              body: { stringValue: 'GET /cart 200' },
              attributes: [
                str('http.request.method', 'GET'),
                { key: 'http.response.status_code', value: { intValue: '200' } },
              ],
            },
            { body: { stringValue: 'POST /pay 503' }, attributes: [] },
          ],
        },
      ],
    },
  ],
};
const TRACES = {
  resourceSpans: [
    {
      resource,
      scopeSpans: [
        {
          scope,
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: 'GET /cart',
              kind: 2,
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ],
};
const METRICS = {
  resourceMetrics: [
    {
      resource,
      scopeMetrics: [
        {
          scope,
          metrics: [
            {
              name: 'requests',
              unit: '1',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  { asInt: '42', attributes: [str('code', '200')] },
                  { asInt: '3', attributes: [str('code', '503')] },
                ],
              },
            },
            {
              name: 'latency',
              histogram: {
                dataPoints: [
                  { count: '5', sum: 1.5, explicitBounds: [0.1, 1], bucketCounts: ['1', '3', '1'] },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

const payload = (signal: Payload['signal'], body: unknown, records: number): Payload => ({
  signal,
  bytes: new TextEncoder().encode(JSON.stringify(body)),
  records,
});

async function render(verbosity: 'basic' | 'normal' | 'detailed') {
  let text = '';
  const settings = testSettings('debug');
  const exporter = createDebugExporter(settings, debugFactory.config.parse({ verbosity }), {
    write: (s: string) => (text += s),
  });
  await exporter.start();
  await exporter.export(payload('logs', LOGS, 2));
  await exporter.export(payload('traces', TRACES, 1));
  await exporter.export(payload('metrics', METRICS, 3));
  await exporter.shutdown();
  return { text, settings };
}

describe('debug exporter', () => {
  it('basic: one summary line per payload, and counts what it wrote', async () => {
    const { text, settings } = await render('basic');
    expect(text.split('\n').filter(Boolean)).toEqual([
      'debug logs {"resource logs":1,"log records":2}',
      'debug traces {"resource spans":1,"spans":1}',
      'debug metrics {"resource metrics":1,"metrics":2,"data points":3}',
    ]);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(6);
  });

  it('normal: one line per record, span and data point', async () => {
    const { text } = await render('normal');
    expect(text).toContain('ResourceLog #0 service.name=checkout');
    expect(text).toContain('ScopeLogs #0 meshtail@0.1.0');
    expect(text).toContain('GET /cart 200 http.request.method=GET http.response.status_code=200\n');
    expect(text).toContain('\nPOST /pay 503\n');
    expect(text).toContain('GET /cart 5b8efff798038103d269b633813fc60c eee19b7ec3c1b174');
    expect(text).toContain('requests{code=200} 42\nrequests{code=503} 3\n');
    expect(text).toContain('latency{} count=5 sum=1.5');
  });

  it('detailed: every field in the Collector layout', async () => {
    const { text } = await render('detailed');
    for (const line of [
      'Resource attributes:',
      '     -> service.name: Str(checkout)',
      'LogRecord #0',
      'Timestamp: 2023-11-14T22:13:20.123456789Z',
      'SeverityText: INFO',
      'Body: Str(GET /cart 200)',
      '     -> http.response.status_code: Int(200)',
      '    Kind           : Server',
      '    Status code    : Error',
      '     -> DataType: Sum',
      '     -> AggregationTemporality: Cumulative',
      'Value: 42',
      'Buckets #1, Count: 3',
    ]) {
      expect(text).toContain(`${line}\n`);
    }
  });

  it('counts a payload that is not OTLP/JSON as failed (permanent)', async () => {
    const settings = testSettings('debug/bad');
    const exporter = createDebugExporter(settings, debugFactory.config.parse({}), { write: () => true });
    await exporter.start();
    await exporter.export({ signal: 'logs', bytes: new Uint8Array([0x0a, 0x01]), records: 4 });
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'permanent' })).toBe(4);
    await exporter.shutdown();
  });
});
