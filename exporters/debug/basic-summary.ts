// basic verbosity: one line per payload with the counts, like the Collector's
// `{"resource logs": 1, "log records": 3}`.
import type { Signal } from '../../agent/kit/record/signal.ts';
import { dataPoints } from './metric-points.ts';
import { type Item, walk } from './otlp-json.ts';

export function basicSummary(exporterId: string, signal: Signal, request: Record<string, unknown>): string {
  let resources = 0;
  let items = 0;
  let points = 0;
  walk(signal, request, {
    resource: () => resources++,
    scope: () => {},
    item: (item: Item) => {
      items++;
      points += dataPoints(item).length;
    },
  });
  const counts =
    signal === 'logs'
      ? { 'resource logs': resources, 'log records': items }
      : signal === 'traces'
        ? { 'resource spans': resources, spans: items }
        : { 'resource metrics': resources, metrics: items, 'data points': points };
  return `${exporterId} ${signal} ${JSON.stringify(counts)}\n`;
}
