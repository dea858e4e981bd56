// The red_metrics processor: counts and buckets per series, the cardinality limit with its overflow
// series, delta from the worker, cumulative from the main part, and exponential histogram buckets.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ComponentSettings } from '../../../../agent/kit/component.ts';
import type { LogRecord, Metric, ResourceLogs } from '../../../../agent/kit/record/record.ts';
import { redMetricsConfig } from '../../../../processors/red_metrics/config.ts';
import {
  bucketIndex,
  emptyExpo,
  expoMerge,
  expoRecord,
} from '../../../../processors/red_metrics/expo-histogram.ts';
import { redMetricsFactory } from '../../../../processors/red_metrics/factory.ts';
import { RedMetricsMain } from '../../../../processors/red_metrics/main.ts';
import { createProcessor } from '../../../../processors/red_metrics/worker.ts';
import { demoBatches } from '../../../support/demo-records.ts';
import { testContext, testOutput } from '../../../support/processor-context.ts';

const T0 = 1_760_000_000_000_000_000n;

function rec(src: string, dst: string, code: number, ms: number, flags?: string[]): LogRecord {
  const attributes: LogRecord['attributes'] = {
    'http.request.method': 'GET',
    'http.response.status_code': code,
    'envoy.duration_ms': ms,
    'mesh.direction': 'outbound',
    'mesh.source.workload': src,
    'mesh.destination.service': dst,
  };
  if (flags) attributes['envoy.response_flags'] = flags;
  return {
    timeUnixNano: T0,
    observedTimeUnixNano: T0,
    severityNumber: 9,
    severityText: '',
    body: '',
    attributes,
  };
}

function batch(records: LogRecord[]): ResourceLogs {
  return { resource: { 'k8s.pod.name': 'p' }, scope: { name: 't' }, records };
}

const sumOf = (m: Metric) => m.points.reduce((n, p) => n + ('value' in p ? p.value : p.count), 0);
const pointValue = (p: Metric['points'][number] | undefined) => (p && 'value' in p ? p.value : undefined);
const byName = (ms: Metric[], name: string) => ms.find((m) => m.name === name)!;

const settings: ComponentSettings = {
  id: 'red_metrics',
  type: 'red_metrics',
  dataDir: '/nonexistent',
  logger: pino({ level: 'silent' }),
  metrics: {} as ComponentSettings['metrics'],
};

describe('red_metrics', () => {
  it('derives metrics and defaults to cumulative with explicit buckets', () => {
    expect(redMetricsFactory.derives).toEqual(['metrics']);
    const c = redMetricsConfig.parse({});
    expect(c.temporality).toBe('cumulative');
    expect(c.histogram.type).toBe('explicit');
    expect(redMetricsConfig.safeParse({ temporality: 'sometimes' }).success).toBe(false);
  });

  it('counts requests, errors and duration buckets per source, destination and status class (delta)', () => {
    const c = redMetricsConfig.parse({ temporality: 'delta', histogram: { buckets: [0.01, 0.1, 1] } });
    const ctx = testContext('red_metrics');
    const b = batch([
      rec('a', 'x', 200, 5),
      rec('a', 'x', 201, 50),
      rec('a', 'x', 503, 500, ['UF']),
      rec('a', 'x', 0, 2, ['UT']),
      rec('a', 'y', 404, 3000),
      { ...rec('a', 'y', 200, 1), attributes: { 'meshtail.log.kind': 'proxy' } },
    ]);
    createProcessor(c, ctx)(b);
    expect(ctx.emitted).toEqual([]);
    const ms = b.metrics!;
    const count = byName(ms, 'mesh.request.count');
    expect(count.type === 'sum' && count.temporality).toBe(1);
    expect(sumOf(count)).toBe(5);
    expect(sumOf(byName(ms, 'mesh.request.errors'))).toBe(2);
    const classes = Object.fromEntries(
      count.points.map((p) => [
        `${p.attributes['mesh.destination.service']} ${p.attributes['http.response.status_class']}`,
        'value' in p ? p.value : 0,
      ]),
    );
    expect(classes).toEqual({ 'x 2xx': 2, 'x 5xx': 1, 'x none': 1, 'y 4xx': 1 });
    const h = byName(ms, 'mesh.request.duration');
    if (h.type !== 'histogram') throw new Error('histogram expected');
    const x2 = h.points.find((p) => p.attributes['http.response.status_class'] === '2xx')!;
    expect(x2.bucketCounts).toEqual([1, 1, 0, 0]);
    expect(x2.sum).toBeCloseTo(0.055);
    expect(x2.min).toBe(0.005);
    expect(x2.max).toBe(0.05);
    const y4 = h.points.find((p) => p.attributes['http.response.status_class'] === '4xx')!;
    expect(y4.bucketCounts).toEqual([0, 0, 0, 1]);
    expect(h.unit).toBe('s');
  });

  it('puts series past max_series into one overflow series and counts them', () => {
    const c = redMetricsConfig.parse({ temporality: 'delta', max_series: 3 });
    const ctx = testContext('red_metrics');
    const b = batch(Array.from({ length: 10 }, (_, i) => rec(`s${i}`, 'x', 200, 1)));
    createProcessor(c, ctx)(b);
    const count = byName(b.metrics!, 'mesh.request.count');
    expect(count.points).toHaveLength(4);
    const overflow = count.points.find((p) => p.attributes['otel.metric.overflow'] === true)!;
    expect(pointValue(overflow)).toBe(7);
    expect(sumOf(count)).toBe(10);
    expect(ctx.counts.get('series_overflow')).toBe(7);
  });

  it('keeps running totals on the main thread and exports them cumulatively', async () => {
    const c = redMetricsConfig.parse({ temporality: 'cumulative', interval: '1h', max_series: 2 });
    const ctx = testContext('red_metrics');
    const out = testOutput();
    const main = new RedMetricsMain(settings, c, out);
    await main.start();
    const process = createProcessor(c, ctx);
    for (const records of [
      [rec('a', 'x', 200, 5), rec('a', 'x', 500, 5)],
      [rec('a', 'x', 200, 5), rec('b', 'x', 200, 5), rec('c', 'x', 200, 5)],
    ]) {
      const b = batch(records);
      process(b);
      expect(b.metrics).toBeUndefined();
    }
    main.consumeAggregates(ctx.emitted, 'metrics');
    main.consumeAggregates([{ series: new Map() }], 'metrics/other'); // another pipeline: ignored
    await main.flush();
    const first = out.metrics[0]!.metrics;
    const count = byName(first, 'mesh.request.count');
    expect(count.type === 'sum' && count.temporality).toBe(2);
    expect(sumOf(count)).toBe(5);
    expect(sumOf(byName(first, 'mesh.request.errors'))).toBe(1);
    // a/2xx, a/5xx fill the limit; b and c overflow.
    expect(pointValue(count.points.find((p) => p.attributes['otel.metric.overflow'] === true))).toBe(2);
    // Totals keep growing; shutdown exports the last of them, and is safe twice.
    const more = batch([rec('a', 'x', 200, 5)]);
    ctx.emitted.length = 0;
    process(more);
    main.consumeAggregates(ctx.emitted, 'metrics');
    await main.shutdown();
    await main.shutdown();
    expect(out.metrics).toHaveLength(2);
    expect(sumOf(byName(out.metrics[1]!.metrics, 'mesh.request.count'))).toBe(6);
    expect(out.metrics[1]!.metrics[0]!.points[0]!.startTimeUnixNano).toBe(count.points[0]!.startTimeUnixNano);
  });

  it('builds exponential histograms that rescale to max_size and merge', () => {
    const c = redMetricsConfig.parse({
      temporality: 'delta',
      histogram: { type: 'exponential', max_size: 20 },
    });
    const b = batch([
      rec('a', 'x', 200, 0),
      rec('a', 'x', 200, 1),
      rec('a', 'x', 200, 10),
      rec('a', 'x', 200, 1000),
    ]);
    createProcessor(c, testContext('r'))(b);
    const h = byName(b.metrics!, 'mesh.request.duration');
    if (h.type !== 'exponential_histogram') throw new Error('exponential histogram expected');
    const p = h.points[0]!;
    expect(p.count).toBe(4);
    expect(p.zeroCount).toBe(1);
    expect(p.positive.bucketCounts.length).toBeLessThanOrEqual(20);
    expect(p.positive.bucketCounts.reduce((a, n) => a + n, 0)).toBe(3);
    // Each value lies in its bucket: (base^index, base^(index+1)].
    const base = 2 ** (2 ** -p.scale);
    for (const v of [0.001, 0.01, 1]) {
      const i = bucketIndex(v, p.scale) - p.positive.offset;
      expect(p.positive.bucketCounts[i]).toBeGreaterThan(0);
      expect(base ** (i + p.positive.offset)).toBeLessThan(v * 1.0000001);
    }
    const a = emptyExpo();
    const d = emptyExpo();
    for (let i = 1; i <= 100; i++) expoRecord(a, i / 1000, 20);
    for (let i = 1; i <= 100; i++) expoRecord(d, i, 20);
    expoMerge(a, d, 20);
    expect(a.counts.reduce((x, n) => x + n, 0)).toBe(200);
    expect(a.counts.length).toBeLessThanOrEqual(20);
  });

  it('counts every HTTP access record of the demo traffic once', () => {
    const c = redMetricsConfig.parse({ temporality: 'delta' });
    let records = 0;
    let errors5xx = 0;
    let counted = 0;
    let erred = 0;
    for (const b of demoBatches(1000)) {
      for (const r of b.records) {
        if (typeof r.attributes['http.request.method'] !== 'string') continue;
        records++;
        if (Number(r.attributes['http.response.status_code']) >= 500) errors5xx++;
      }
      createProcessor(c, testContext('r'))(b);
      if (!b.metrics) continue;
      counted += sumOf(byName(b.metrics, 'mesh.request.count'));
      erred += sumOf(byName(b.metrics, 'mesh.request.errors'));
    }
    expect(records).toBeGreaterThan(900);
    expect(counted).toBe(records);
    expect(erred).toBe(errors5xx);
  });
});
