// A deriving processor for the derived-signal tests: one span per record, one gauge per batch.
import type { ProcessLogs } from '../../agent/kit/worker/processor.ts';

export function createProcessor(): ProcessLogs {
  return (batch) => {
    batch.spans = batch.records.map((r, i) => ({
      traceId: new Uint8Array(16).fill(i + 1),
      spanId: new Uint8Array(8).fill(i + 1),
      name: String(r.body),
      kind: 2,
      startTimeUnixNano: 1n,
      endTimeUnixNano: 2n,
      attributes: {},
      events: [],
      links: [],
      status: { code: 0 },
    }));
    batch.metrics = [
      {
        name: 'test.records',
        type: 'gauge',
        points: [
          {
            attributes: {},
            startTimeUnixNano: 0n,
            timeUnixNano: 1n,
            value: batch.records.length,
            asInt: true,
          },
        ],
      },
    ];
  };
}
