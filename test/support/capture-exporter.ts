// A test exporter that keeps what it is given, decoded from OTLP/JSON, with an optional delay.
import type { Exporter, ExporterFactory, Payload } from '../../agent/kit/component.ts';
import { options, z } from '../../agent/kit/config/schema.ts';

export interface Captured {
  payloads: Payload[];
  /** Every log record body, in arrival order. */
  bodies: string[];
  records: { body: string; attributes: Record<string, unknown>; resource: Record<string, unknown> }[];
  /** Payloads given after the exporter was shut down: a real exporter could no longer send them. */
  late: Payload[];
}

export function captureFactory(sink: Captured, delayMs = 0): ExporterFactory {
  return {
    kind: 'exporter',
    type: 'capture',
    description: 'test exporter',
    signals: ['logs', 'traces', 'metrics'],
    config: options({ note: z.string().optional() }),
    create: (): Exporter => {
      let closed = false;
      return {
        encoding: 'json',
        start: async () => {},
        shutdown: async () => {
          closed = true;
        },
        async export(payload) {
          if (closed) {
            sink.late.push(payload);
            return;
          }
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          sink.payloads.push(payload);
          const req = JSON.parse(Buffer.from(payload.bytes).toString('utf8'));
          for (const rl of req.resourceLogs ?? []) {
            const resource = flatten(rl.resource?.attributes ?? []);
            for (const sl of rl.scopeLogs) {
              for (const lr of sl.logRecords) {
                const body = lr.body?.stringValue ?? '';
                sink.bodies.push(body);
                sink.records.push({ body, attributes: flatten(lr.attributes ?? []), resource });
              }
            }
          }
        },
      };
    },
  };
}

export function newCapture(): Captured {
  return { payloads: [], bodies: [], records: [], late: [] };
}

function flatten(kvs: { key: string; value: Record<string, unknown> }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs) out[kv.key] = Object.values(kv.value)[0];
  return out;
}
