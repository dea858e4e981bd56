// Replays a stream of records through the anomaly worker part and engine the way the pool would:
// cut into batches of `batchSize` access records, each batch aggregated by one of `workers` workers
// (the one free first), at most `inflight` batches out at once, and the aggregates handed to the
// engine in completion order (seeded random task times). Returns the anomaly events as JSON lines.
import type { LogRecord, ResourceLogs } from '../../agent/kit/record/record.ts';
import type { BatchAggregate } from '../../processors/anomaly/aggregate.ts';
import type { AnomalyConfig } from '../../processors/anomaly/config.ts';
import { AnomalyEngine } from '../../processors/anomaly/engine.ts';
import { aggregateBatch } from '../../processors/anomaly/worker.ts';
import { mulberry32 } from './mesh-traffic.ts';

export interface ReplayOptions {
  batchSize: number;
  workers: number;
  /** Batches out at once (the pipeline's max_inflight_batches; threads × 4 by default). */
  inflight?: number;
  seed?: number;
}

export interface ReplayResult {
  events: string[];
  lateRecords: number;
  batches: number;
}

export function replay(input: Iterable<ResourceLogs>, config: AnomalyConfig, o: ReplayOptions): ReplayResult {
  const engine = new AnomalyEngine(config);
  const rand = mulberry32(o.seed ?? 1);
  const inflight = o.inflight ?? o.workers * 4;
  const freeAt = new Array<number>(o.workers).fill(0);
  const pending: { done: number; aggregate: BatchAggregate }[] = [];
  const events: string[] = [];
  let batches = 0;
  let newest = Number.NEGATIVE_INFINITY;
  const deliver = (a: BatchAggregate) => {
    for (const j of engine.add(a)) for (const e of j.events) events.push(JSON.stringify(e));
  };
  const dispatch = (records: LogRecord[]) => {
    batches++;
    const w = freeAt.indexOf(Math.min(...freeAt));
    const done = (freeAt[w] as number) + 1 + rand() * 2;
    freeAt[w] = done;
    pending.push({ done, aggregate: aggregateBatch(batch(records), config.bucket, config.allowed_lateness) });
    if (pending.length >= inflight) deliverFirst();
  };
  const deliverFirst = () => {
    let first = 0;
    for (let i = 1; i < pending.length; i++)
      if ((pending[i] as { done: number }).done < (pending[first] as { done: number }).done) first = i;
    const [p] = pending.splice(first, 1);
    if (p) deliver(p.aggregate);
  };
  let cut: LogRecord[] = [];
  for (const rl of input) {
    for (const r of rl.records) {
      cut.push(r);
      const ms = Number(r.timeUnixNano / 1_000_000n);
      if (ms > newest) newest = ms;
      if (cut.length === o.batchSize) {
        dispatch(cut);
        cut = [];
      }
    }
  }
  if (cut.length > 0) dispatch(cut);
  while (pending.length > 0) deliverFirst();
  // Event time goes on past the input: every bucket the input touched closes.
  deliver({ buckets: [], newest: newest + config.allowed_lateness + 2 * config.bucket, late: 0 });
  return { events, lateRecords: engine.lateRecords, batches };
}

function batch(records: LogRecord[]): ResourceLogs {
  return { resource: {}, scope: { name: 'replay' }, records };
}
