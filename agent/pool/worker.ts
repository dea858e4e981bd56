// The worker thread: decode a batch's lines, run the pipeline's processors in order, encode OTLP
// once per wanted encoding and hand the bytes back transferred (no structured clone of output).
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { encodeLogs, encodeMetrics, encodeTraces } from '../../exporters/otlp/index.ts';
import type { LogRecord, ResourceLogs } from '../pipeline/record.ts';
import type { Encoding } from '../pipeline/signal.ts';
import { resetAggregates, takeAggregates } from './aggregates.ts';
import { type ChainLink, loadChain } from './chain.ts';
import type { DecodeLines, DecoderModule } from './decoder.ts';
import { resetEvents, takeEvents } from './events.ts';
import { lines } from './lines.ts';
import { decodeRaw } from './raw-decoder.ts';
import {
  LABELS_MISSING_ATTRIBUTE,
  PARSE_ERROR_ATTRIBUTE,
  type PipelinePlan,
  PROCESSOR_ERROR_ATTRIBUTE,
  type WorkerData,
  type WorkerOutput,
  type WorkerResult,
  type WorkerTask,
} from './task.ts';
import { splitByTenant } from './tenant-split.ts';

const data = workerData as WorkerData;
const chains = new Map<string, Promise<ChainLink[]>>();
const decoders = new Map<string, Promise<DecodeLines>>();

export const SCOPE = { name: 'meshtail' };

export default async function runTask(task: WorkerTask) {
  const plan = data.pipelines[task.pipeline];
  if (!plan) throw new Error(`worker has no plan for pipeline ${task.pipeline}`);
  const chain = task.bypass ? [] : await chainFor(task.pipeline);
  const decode = await decoderFor(task);

  const failures: WorkerResult['processorFailures'] = [];
  const skipped = new Map<string, string>();
  let batch = decodeBatch(task, decode);
  const decoded = batch.records.length;
  for (let attempt = 1; ; attempt++) {
    resetEvents();
    resetAggregates();
    const failed = runChain(chain, batch, skipped);
    if (!failed) break;
    // A processor threw: the records may be half-changed, so start over from the bytes. After the
    // last attempt the processor is skipped and its records go on marked, never dropped.
    if (attempt >= plan.maxAttempts) {
      skipped.set(failed.id, failed.message);
      failures.push({ processor: failed.id, records: 0 });
    }
    batch = decodeBatch(task, decode);
  }
  markSkipped(batch.records, skipped, task.bypass);
  for (const f of failures) f.records = batch.records.length;

  let parseErrors = 0;
  let labelsMissing = 0;
  for (const r of batch.records) {
    if (r.attributes[PARSE_ERROR_ATTRIBUTE] !== undefined) parseErrors++;
    if (r.attributes[LABELS_MISSING_ATTRIBUTE] !== undefined) labelsMissing++;
  }

  const transfer: ArrayBuffer[] = [];
  const outputs = encodeOutputs(plan, batch, transfer);
  const result: WorkerResult = {
    lines: batch.lines,
    decoded,
    records: batch.records.length,
    outputs,
    events: takeEvents(),
    aggregates: takeAggregates(),
    processorFailures: failures,
    parseErrors,
    labelsMissing,
  };
  return move({
    get [transferableSymbol]() {
      return transfer;
    },
    get [valueSymbol]() {
      return result;
    },
  } as unknown as ArrayBuffer);
}

/**
 * What the pipeline exports: its records (logs, one request per tenant), or the spans or metrics
 * that a deriving processor put on the batch (traces and metrics pipelines fed by log receivers).
 */
function encodeOutputs(plan: PipelinePlan, batch: ResourceLogs, transfer: ArrayBuffer[]): WorkerOutput[] {
  const outputs: WorkerOutput[] = [];
  const encodeOnce = (records: number, encode: (enc: Encoding) => Uint8Array, tenant?: string) => {
    const output: WorkerOutput = { records, encoded: {} };
    if (tenant !== undefined) output.tenant = tenant;
    for (const enc of plan.encodings) {
      const bytes = encode(enc);
      output.encoded[enc] = bytes;
      transfer.push(bytes.buffer as ArrayBuffer);
    }
    outputs.push(output);
  };
  if (plan.signal === 'traces') {
    const spans = batch.spans ?? [];
    if (spans.length > 0)
      encodeOnce(spans.length, (enc) =>
        encodeTraces([{ resource: batch.resource, scope: batch.scope, spans }], enc),
      );
  } else if (plan.signal === 'metrics') {
    const metrics = batch.metrics ?? [];
    const points = metrics.reduce((n, m) => n + m.points.length, 0);
    if (points > 0)
      encodeOnce(points, (enc) =>
        encodeMetrics([{ resource: batch.resource, scope: batch.scope, metrics }], enc),
      );
  } else if (batch.records.length > 0) {
    for (const part of splitByTenant(batch)) {
      encodeOnce(part.batch.records.length, (enc) => encodeLogs([part.batch], enc), part.tenant);
    }
  }
  return outputs;
}

interface DecodedBatch extends ResourceLogs {
  lines: number;
}

function decodeBatch(task: WorkerTask, decode: DecodeLines): DecodedBatch {
  const records: LogRecord[] = [];
  let count = 0;
  const counted = (function* () {
    for (const line of lines(task.data)) {
      count++;
      yield line;
    }
  })();
  decode(counted, records, { observedTimeUnixNano: task.observedTimeUnixNano });
  const common = Object.entries(task.attributes);
  if (common.length > 0) {
    for (const r of records) for (const [k, v] of common) if (!(k in r.attributes)) r.attributes[k] = v;
  }
  return { resource: task.resource, scope: SCOPE, records, lines: count };
}

function runChain(chain: ChainLink[], batch: ResourceLogs, skipped: Map<string, string>) {
  for (const link of chain) {
    if (skipped.has(link.id)) continue;
    try {
      link.process(batch);
    } catch (err) {
      return { id: link.id, message: err instanceof Error ? err.message : String(err) };
    }
  }
  return undefined;
}

function markSkipped(records: LogRecord[], skipped: Map<string, string>, bypass: string | undefined) {
  if (skipped.size === 0 && !bypass) return;
  const reasons = [...skipped].map(([id, message]) => `${id}: ${message}`);
  if (bypass) reasons.push(bypass);
  const text = reasons.join('; ');
  for (const r of records) r.attributes[PROCESSOR_ERROR_ATTRIBUTE] = text;
}

function chainFor(pipeline: string): Promise<ChainLink[]> {
  let chain = chains.get(pipeline);
  if (!chain) {
    chain = loadChain(data.pipelines[pipeline]!);
    chains.set(pipeline, chain);
  }
  return chain;
}

function decoderFor(task: WorkerTask): Promise<DecodeLines> {
  if (!task.decoder) return Promise.resolve(decodeRaw);
  const key = `${task.decoder.module}#${JSON.stringify(task.decoder.options ?? null)}`;
  let decoder = decoders.get(key);
  if (!decoder) {
    const ref = task.decoder;
    decoder = import(ref.module).then((m: DecoderModule) => m.createDecoder(ref.options));
    decoders.set(key, decoder);
  }
  return decoder;
}
