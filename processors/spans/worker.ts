// Runs in the worker threads: every HTTP access record of the batch becomes a span on batch.spans
// (a traces pipeline exports them). Stateless: ids are derived, never remembered (span-ids.ts).
import type { Attributes, ResourceLogs, Span } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import type { SpansConfig } from './config.ts';
import { isHttpAccess, toSpan } from './http-span.ts';
import { routeMatcher } from './routes.ts';
import { sampled } from './span-ids.ts';

export function createProcessor(c: SpansConfig, context?: ProcessorContext): ProcessLogs {
  const routes = routeMatcher(c.routes);
  const inbound = c.directions.includes('inbound');
  const outbound = c.directions.includes('outbound');
  return (batch) => {
    const spans: Span[] = batch.spans ?? [];
    let workload: string | undefined;
    for (const r of batch.records) {
      const a = r.attributes;
      if (!isHttpAccess(a)) continue;
      const out = a['mesh.direction'] === 'outbound';
      if (out ? !outbound : !inbound) continue;
      const span = toSpan(r, routes);
      if (!sampled(span.traceId, c.sampling_ratio)) continue;
      workload ??= localWorkload(a, out);
      spans.push(span);
    }
    if (spans.length === 0) return;
    batch.spans = spans;
    setServiceName(batch, workload);
    context?.count('span', spans.length);
  };
}

function localWorkload(a: Attributes, outbound: boolean): string | undefined {
  const w = a[outbound ? 'mesh.source.workload' : 'mesh.destination.workload'];
  return typeof w === 'string' && w !== '' ? w : undefined;
}

/** service.name is the local workload: the resource's own when set, else the pod's workload. */
function setServiceName(batch: ResourceLogs, workload: string | undefined): void {
  if (batch.resource['service.name'] !== undefined) return;
  const name = workload ?? batch.resource['k8s.pod.name'];
  if (name !== undefined) batch.resource = { ...batch.resource, 'service.name': name };
}
