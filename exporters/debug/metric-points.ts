// A metric's data points whatever its kind, and a point's value as text.
import { type Item, type KeyValue, list } from './otlp-json.ts';

export const METRIC_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export type Point = Record<string, unknown> & { attributes?: KeyValue[] };

export function dataPoints(
  metric: Item,
): { kind: MetricKind; body: Record<string, unknown>; point: Point }[] {
  const out: { kind: MetricKind; body: Record<string, unknown>; point: Point }[] = [];
  for (const kind of METRIC_KINDS) {
    const body = metric[kind] as Record<string, unknown> | undefined;
    if (body) for (const point of list<Point>(body.dataPoints)) out.push({ kind, body, point });
  }
  return out;
}

export function pointValue(p: Point): string {
  if (p.asDouble !== undefined) return String(p.asDouble);
  if (p.asInt !== undefined) return String(p.asInt);
  if (p.count !== undefined) return `count=${p.count}${p.sum !== undefined ? ` sum=${p.sum}` : ''}`;
  return '';
}
