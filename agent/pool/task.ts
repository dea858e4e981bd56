// The messages between the main thread and the worker threads.
import type { DecoderRef } from '../kit/component.ts';
import type { WireParts } from '../kit/record/packed-origin.ts';
import type { Attributes } from '../kit/record/record.ts';
import type { Encoding, Signal } from '../kit/record/signal.ts';

/** What a worker needs, once, to build a pipeline's processor chain. Sent as workerData. */
export interface PipelinePlan {
  signal: Signal;
  processors: { id: string; module: string; config: unknown; state?: SharedArrayBuffer; guards?: boolean }[];
  /** Each encoding some exporter of the pipeline wants; the worker encodes once per encoding. */
  encodings: Encoding[];
  maxAttempts: number;
}

export interface WorkerData {
  pipelines: Record<string, PipelinePlan>;
}

export interface WorkerTask {
  pipeline: string;
  /** Whole '\n'-terminated lines over a SharedArrayBuffer (see agent/kit/record/shared-bytes.ts). */
  data: Uint8Array;
  resource: Attributes;
  attributes: Attributes;
  decoder?: DecoderRef;
  observedTimeUnixNano: bigint;
  /** Several sources' lines in one task (RawBatch.parts); then the origin fields above are the first part's. */
  parts?: WireParts;
  /**
   * Set when earlier attempts killed the worker and no processor of the pipeline guards: skip the
   * processors, mark records with this reason. Never set for a pipeline with a guarding processor.
   */
  bypass?: string;
}

export interface WorkerOutput {
  /** meshtail.tenant of the records in this output, when a processor assigned one. */
  tenant?: string;
  records: number;
  encoded: Partial<Record<Encoding, Uint8Array>>;
}

export interface WorkerResult {
  lines: number;
  /** Records the decoder made of the lines (CRI partials merge), before processors. */
  decoded: number;
  records: number;
  outputs: WorkerOutput[];
  /** Records that went on without a processor's work because it threw on every attempt. */
  processorFailures: { processor: string; records: number }[];
  /**
   * Set when a guarding processor (rbac, redact, encrypt, service.workers.guarding_processors) threw
   * on every attempt: the batch has no outputs and the main thread holds it (agent/pipeline/quarantine.ts).
   */
  held?: { processor: string };
  /** Records carrying meshtail.parse.error (decoders or parsers could not read them). */
  parseErrors: number;
  /** Records carrying meshtail.labels.missing (a required access label is absent). */
  labelsMissing: number;
  /** What processors counted with ProcessorContext.count during this task. */
  events: { processor: string; event: string; count: number }[];
  /** What processors emitted with ProcessorContext.emit, for their main-thread parts. */
  aggregates: { processor: string; data: unknown }[];
}
