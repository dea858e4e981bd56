// Runs in the worker threads. delta: the batch's own counts go on batch.metrics (a metrics pipeline
// exports them, on the batch's resource, over the batch's event-time span). cumulative: the batch's
// table is emitted for the main part (main.ts) to add to its running totals; nothing is exported here.
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import { aggregateRecords } from './aggregate.ts';
import type { RedMetricsConfig } from './config.ts';
import { toMetrics } from './to-metrics.ts';

export function createProcessor(c: RedMetricsConfig, context: ProcessorContext): ProcessLogs {
  return (batch) => {
    const t = aggregateRecords(batch.records, c);
    if (t.series.size === 0) return;
    if (t.overflowed > 0) context.count('series_overflow', t.overflowed);
    if (c.temporality === 'delta') {
      batch.metrics = [...(batch.metrics ?? []), ...toMetrics(t, c, 1, t.minTime, t.maxTime)];
    } else {
      context.emit({ series: t.series });
    }
  };
}
