// The worker thread: decode a batch's lines, run the pipeline's processors in order, encode OTLP
// once per wanted encoding and hand the bytes back transferred (no structured clone of output).
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import {
  LABELS_MISSING_ATTRIBUTE,
  PARSE_ERROR_ATTRIBUTE,
  PROCESSOR_ERROR_ATTRIBUTE,
} from '../kit/attributes.ts';
import type { BatchOrigin, DecoderRef } from '../kit/component.ts';
import { encodeLogs, encodeMetrics, encodeTraces } from '../kit/otlp/encoder.ts';
import { partAt } from '../kit/record/packed-origin.ts';
import type { LogRecord, ResourceLogs } from '../kit/record/record.ts';
import type { Encoding } from '../kit/record/signal.ts';
import type { DecodeLines, DecoderModule } from '../kit/worker/decoder.ts';
import { decodeRaw } from '../kit/worker/raw-decoder.ts';
import { resetAggregates, takeAggregates } from './aggregates.ts';
import { type ChainLink, loadChain } from './chain.ts';
import { resetEvents, takeEvents } from './events.ts';
import { lines } from './lines.ts';
import type { PipelinePlan, WorkerData, WorkerOutput, WorkerResult, WorkerTask } from './task.ts';
import { splitByTenant } from './tenant-split.ts';

const data = workerData as WorkerData;
const chains = new Map<string, Promise<ChainLink[]>>();
const decoders = new Map<string, Promise<DecodeLines>>();

export const SCOPE = { name: 'meshtail' };

export default async function runTask(task: WorkerTask) {
  const plan = data.pipelines[task.pipeline];
  if (!plan) throw new Error(`worker has no plan for pipeline ${task.pipeline}`);
  const chain = task.bypass ? [] : await chainFor(task.pipeline);
  const segments = await segmentsOf(task);

  const failures: WorkerResult['processorFailures'] = [];
  const skipped = new Map<string, string>();
  let batches = segments.map(decodeSegment);
  const decoded = countRecords(batches);
  for (let attempt = 1; ; attempt++) {
    resetEvents();
    resetAggregates();
    let failed: ReturnType<typeof runChain>;
    for (const batch of batches) {
      failed = runChain(chain, batch, skipped);
      if (failed) break;
    }
    if (!failed) break;
    // A processor threw: the records may be half-changed, so start over from the bytes. After the
    // last attempt a processor that guards nothing is skipped and its records go on marked; one
    // that guards fails closed: nothing leaves, the main thread holds the batch's bytes.
    if (attempt >= plan.maxAttempts) {
      if (failed.guards) return heldResult(segments, decoded, failed.id);
      skipped.set(failed.id, failed.message);
      failures.push({ processor: failed.id, records: 0 });
    }
    batches = segments.map(decodeSegment);
  }
  const records = countRecords(batches);
  for (const b of batches) markSkipped(b.records, skipped, task.bypass);
  for (const f of failures) f.records = records;

  let parseErrors = 0;
  let labelsMissing = 0;
  let lineCount = 0;
  for (const b of batches) {
    lineCount += b.lines;
    for (const r of b.records) {
      if (r.attributes[PARSE_ERROR_ATTRIBUTE] !== undefined) parseErrors++;
      if (r.attributes[LABELS_MISSING_ATTRIBUTE] !== undefined) labelsMissing++;
    }
  }

  const transfer: ArrayBuffer[] = [];
  const outputs = encodeOutputs(plan, batches, transfer);
  const result: WorkerResult = {
    lines: lineCount,
    decoded,
    records,
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

/** A batch a guarding processor failed on: no outputs, no events or aggregates of a half-run chain. */
function heldResult(segments: Segment[], decoded: number, processor: string): WorkerResult {
  let lineCount = 0;
  for (const s of segments) lineCount += lines(s.data).length;
  return {
    lines: lineCount,
    decoded,
    records: 0,
    outputs: [],
    events: [],
    aggregates: [],
    processorFailures: [],
    parseErrors: 0,
    labelsMissing: 0,
    held: { processor },
  };
}

/**
 * What the pipeline exports: its records (logs, one request per tenant), or the spans or metrics
 * that a deriving processor put on the batches (traces and metrics pipelines fed by log receivers).
 * A joined task has one batch per source; they go out together, one ResourceLogs (or ResourceSpans,
 * ResourceMetrics) each, so many quiet files still make one request.
 */
function encodeOutputs(plan: PipelinePlan, batches: ResourceLogs[], transfer: ArrayBuffer[]): WorkerOutput[] {
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
    const withSpans = batches.filter((b) => b.spans !== undefined && b.spans.length > 0);
    const spans = withSpans.reduce((n, b) => n + b.spans!.length, 0);
    if (spans > 0)
      encodeOnce(spans, (enc) =>
        encodeTraces(
          withSpans.map((b) => ({ resource: b.resource, scope: b.scope, spans: b.spans! })),
          enc,
        ),
      );
  } else if (plan.signal === 'metrics') {
    const withMetrics = batches.filter((b) => b.metrics !== undefined && b.metrics.length > 0);
    let points = 0;
    for (const b of withMetrics) for (const m of b.metrics!) points += m.points.length;
    if (points > 0)
      encodeOnce(points, (enc) =>
        encodeMetrics(
          withMetrics.map((b) => ({ resource: b.resource, scope: b.scope, metrics: b.metrics! })),
          enc,
        ),
      );
  } else {
    // Never two tenants in one request; one request per tenant however many sources.
    const byTenant = new Map<string | undefined, ResourceLogs[]>();
    for (const b of batches) {
      if (b.records.length === 0) continue;
      for (const part of splitByTenant(b)) {
        let list = byTenant.get(part.tenant);
        if (!list) {
          list = [];
          byTenant.set(part.tenant, list);
        }
        list.push(part.batch);
      }
    }
    for (const [tenant, list] of byTenant) {
      const records = list.reduce((n, b) => n + b.records.length, 0);
      encodeOnce(records, (enc) => encodeLogs(list, enc), tenant);
    }
  }
  return outputs;
}

interface DecodedBatch extends ResourceLogs {
  lines: number;
}

interface Segment {
  data: Uint8Array;
  origin: BatchOrigin;
  decode: DecodeLines;
}

/** The task's sources: one for a plain batch, one per part for a joined one. */
async function segmentsOf(task: WorkerTask): Promise<Segment[]> {
  if (!task.parts) return [{ data: task.data, origin: task, decode: await decoderFor(task.decoder) }];
  const segments: Segment[] = [];
  let at = 0;
  for (let i = 0; i < task.parts.bytes.length; i++) {
    const part = partAt(task.parts, i);
    const data = task.data.subarray(at, at + part.bytes);
    at += part.bytes;
    const ref = part.decoder;
    let decode = ref && ready.get(ref);
    if (!decode) {
      decode = await decoderFor(ref);
      if (ref) ready.set(ref, decode);
    }
    segments.push({ data, origin: part, decode });
  }
  return segments;
}

function decodeSegment(s: Segment): DecodedBatch {
  const records: LogRecord[] = [];
  const list = lines(s.data);
  s.decode(list, records, { observedTimeUnixNano: s.origin.observedTimeUnixNano });
  const common = Object.entries(s.origin.attributes);
  if (common.length > 0) {
    for (const r of records) for (const [k, v] of common) if (!(k in r.attributes)) r.attributes[k] = v;
  }
  return { resource: s.origin.resource, scope: SCOPE, records, lines: list.length };
}

function countRecords(batches: ResourceLogs[]): number {
  let n = 0;
  for (const b of batches) n += b.records.length;
  return n;
}

function runChain(chain: ChainLink[], batch: ResourceLogs, skipped: Map<string, string>) {
  for (const link of chain) {
    if (skipped.has(link.id)) continue;
    try {
      link.process(batch);
    } catch (err) {
      return { id: link.id, guards: link.guards, message: err instanceof Error ? err.message : String(err) };
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

/** By the ref object itself: parts of one task that share a ref (structured clone keeps that) skip the key. */
const decodersByRef = new WeakMap<DecoderRef, Promise<DecodeLines>>();
/** Loaded decoders by ref, so the parts of a joined task do not wait a microtask each. */
const ready = new WeakMap<DecoderRef, DecodeLines>();

function decoderFor(ref: DecoderRef | undefined): Promise<DecodeLines> {
  if (!ref) return Promise.resolve(decodeRaw);
  const known = decodersByRef.get(ref);
  if (known) return known;
  const decoder = decoderByKey(ref);
  decodersByRef.set(ref, decoder);
  return decoder;
}

function decoderByKey(ref: DecoderRef): Promise<DecodeLines> {
  const key = `${ref.module}#${JSON.stringify(ref.options ?? null)}`;
  let decoder = decoders.get(key);
  if (!decoder) {
    decoder = import(ref.module).then((m: DecoderModule) => m.createDecoder(ref.options));
    decoders.set(key, decoder);
  }
  return decoder;
}
