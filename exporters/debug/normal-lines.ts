// normal verbosity: one line per resource and scope, then one line per log record (body and
// attributes), span (name, ids, attributes) or metric data point (name{attributes} value).
import type { Signal } from '../../agent/kit/record/signal.ts';
import { dataPoints, pointValue } from './metric-points.ts';
import { type AnyValue, attributesInline, type Item, plain, SHAPE, walk } from './otlp-json.ts';

export function normalLines(signal: Signal, request: Record<string, unknown>): string {
  const [resourceName, scopeName] = SHAPE[signal].names;
  let out = '';
  walk(signal, request, {
    resource: (r, i) => {
      out += `${resourceName} #${i}${r.schemaUrl ? ` [${r.schemaUrl}]` : ''} ${attributesInline(r.attributes)}\n`;
    },
    scope: (s, i) => {
      out += `${scopeName} #${i} ${s.name}${s.version ? `@${s.version}` : ''}\n`;
    },
    item: (item) => {
      out += itemLine(signal, item);
    },
  });
  return out;
}

function itemLine(signal: Signal, item: Item): string {
  const attrs = attributesInline(item.attributes);
  if (signal === 'logs') {
    return `${plain(item.body as AnyValue | undefined)} ${attrs}`.trimEnd() + '\n';
  }
  if (signal === 'traces')
    return `${item.name} ${item.traceId ?? ''} ${item.spanId ?? ''} ${attrs}`.trimEnd() + '\n';
  let out = '';
  for (const { point } of dataPoints(item)) {
    out += `${item.name}{${attributesInline(point.attributes).replaceAll(' ', ',')}} ${pointValue(point)}\n`;
  }
  return out;
}
