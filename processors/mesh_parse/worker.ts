// Runs in the worker threads: parses every record's body (the proxy's line) into an access or proxy
// log record, then gives access records their labels: direction, destination, principals, the local
// workload from the file's pod, user.id, and meshtail.labels.missing for required labels they lack.
import type { LABELS_MISSING_ATTRIBUTE } from '../../agent/kit/attributes.ts';
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import { addAccessLabels, type LocalWorkload, missingLabels } from './access-labels.ts';
import type { MeshParseConfig } from './config.ts';
import { createLineParser } from './line-parser.ts';
import { createUserIdReader } from './user-id.ts';
import { workloadOfPod } from './workload-name.ts';

export function createProcessor(c: MeshParseConfig, _context?: ProcessorContext): ProcessLogs {
  const parse = createLineParser(c);
  const userId = createUserIdReader(c.user_id);
  const required = c.required;
  return (batch) => {
    const local = localWorkload(batch.resource);
    for (const r of batch.records) {
      if (typeof r.body !== 'string') continue;
      const fields = parse(r, r.body);
      if (!fields) continue;
      const a = r.attributes;
      addAccessLabels(a, fields, local, String(a['meshtail.log.format']).startsWith('istio'));
      userId?.(fields, a, r.timeUnixNano);
      if (required.length > 0) {
        const missing = missingLabels(a, required);
        // A literal key (named store, access-labels.ts); `satisfies` ties it to the constant.
        if (missing) a['meshtail.labels.missing' satisfies typeof LABELS_MISSING_ATTRIBUTE] = missing;
      }
    }
  };
}

function localWorkload(resource: Attributes): LocalWorkload | undefined {
  const pod = resource['k8s.pod.name'];
  if (typeof pod !== 'string' || pod === '') return undefined;
  const ns = resource['k8s.namespace.name'];
  return typeof ns === 'string'
    ? { workload: workloadOfPod(pod), namespace: ns }
    : { workload: workloadOfPod(pod) };
}
