// The worker thread that follows export.jsonl for the live view. Parsing what the exporter wrote
// costs ~10 ms per MB (JSON.parse; ~3.6 KB per record), tens of MB per second during the backfill:
// on the agent's main thread that stalled the receiver's polls long enough to miss whole rotated
// files. Here it costs the agent nothing; the main thread gets a small sample after each poll.
import { parentPort, workerData } from 'node:worker_threads';
import { RequestAggregate } from './request-aggregate.ts';

export interface TailWorkerData {
  exportFile: string;
  intervalMs: number;
}

const { exportFile, intervalMs } = workerData as TailWorkerData;
const aggregate = new RequestAggregate(exportFile);

function poll(): void {
  parentPort!.postMessage(aggregate.sample());
  // After the work, not on a fixed beat: a slow poll (the backfill) never queues up behind itself.
  setTimeout(poll, intervalMs);
}

poll();
