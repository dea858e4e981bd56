// The component contract: what a receiver, processor or exporter factory provides and what the
// runtime hands it. The runtime knows components only through these types and the registry.
import type { z } from 'zod';
import type { PackedOrigin } from './record/packed-origin.ts';
import type { Attributes, ResourceLogs, ResourceMetrics } from './record/record.ts';
import type { Encoding, Signal } from './record/signal.ts';
import type { ComponentMetrics, Logger } from './telemetry.ts';
import type { WorkerModule } from './worker/processor.ts';
import type { SharedStateWriter } from './worker/shared-state.ts';

export type ComponentKind = 'receiver' | 'processor' | 'exporter';

/** What the agent hands a component when it creates it. */
export interface ComponentSettings {
  /** The full id as written in the config, `type` or `type/name`. */
  id: string;
  type: string;
  /** service.data_dir: where a component keeps state (checkpoints, queues, snapshots). */
  dataDir: string;
  logger: Logger;
  metrics: ComponentMetrics;
}

/** Start/shutdown. Shutdown is safe before start and safe twice. */
export interface Component {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A module loaded in the worker threads that turns raw lines into records (e.g. CRI decoding). */
export interface DecoderRef {
  /** file: URL of a module exporting `decode` (see agent/kit/worker/decoder.ts). */
  module: string;
  options?: unknown;
}

/** Where a run of lines comes from: its resource, the attributes of its records, its decoder. */
export interface BatchOrigin {
  resource: Attributes;
  /** Attributes given to every record of the run (log.file.path, ...). */
  attributes: Attributes;
  decoder?: DecoderRef;
  observedTimeUnixNano: bigint;
  /** resource and attributes packed once by the receiver (agent/kit/record/packed-origin.ts), if it did. */
  packed?: PackedOrigin | null;
}

/** One source's lines in a joined batch: the next `bytes` bytes of the batch's data. */
export interface BatchPart extends BatchOrigin {
  bytes: number;
}

/**
 * Bytes read by a receiver: whole lines, each ending in '\n', from one source (one resource).
 * Ideally over a SharedArrayBuffer (agent/kit/record/shared-bytes.ts); the receiver must not write
 * to it after `consume`.
 */
export interface RawBatch extends BatchOrigin {
  data: Uint8Array;
  /**
   * Set when small reads of several sources travel as one batch (agent/kit/record/batch-joiner.ts):
   * consecutive ranges of `data`, in order, each with its own origin. The batch's own origin fields
   * are then those of the first part.
   */
  parts?: BatchPart[];
}

export interface Delivery {
  /** Settles when every pipeline fed by the batch has delivered it, durably queued it, or counted it dropped. */
  done: Promise<void>;
}

export interface BatchConsumer {
  /** Resolves once the batch is admitted; this is where backpressure pauses a receiver. */
  consume(batch: RawBatch): Promise<Delivery>;
}

/** An encoded OTLP request for one signal (and, once tenants exist, one tenant). */
export interface Payload {
  signal: Signal;
  bytes: Uint8Array;
  records: number;
  tenant?: string;
}

export interface Exporter extends Component {
  readonly encoding: Encoding;
  /** Settles when the payload is delivered, durably queued, or dropped (and counted). Awaiting it is backpressure. */
  export(payload: Payload): Promise<void>;
  /**
   * True when, once export() has settled, nothing of this exporter reads payload.bytes any more:
   * no queue or retry holds them and no native I/O still points into them (it sent a copy). The
   * pipeline then frees the bytes at once instead of leaving them to V8 (agent/pipeline/free-bytes.ts).
   */
  readonly releasesPayload?: boolean;
}

interface FactoryBase<K extends ComponentKind, S extends z.ZodType> {
  kind: K;
  /** The config type id, lower_snake_case, equal to the component's folder name. */
  type: string;
  description: string;
  signals: readonly Signal[];
  /** The one declaration of every option: type, default, description. It validates and it documents. */
  config: S;
}

export interface ReceiverFactory<S extends z.ZodType = z.ZodType> extends FactoryBase<'receiver', S> {
  create(settings: ComponentSettings, config: z.output<S>, next: BatchConsumer): Component;
}

export interface ProcessorFactory<S extends z.ZodType = z.ZodType> extends FactoryBase<'processor', S> {
  /**
   * file: URL of the module the worker threads load; it exports `createProcessor`, which takes
   * z.output<S> (agent/kit/worker/processor.ts).
   */
  workerModule: WorkerModule<z.output<S>>;
  /**
   * Signals this processor derives from log records into the batch's `spans` or `metrics` (spans
   * from access logs, RED metrics). A traces or metrics pipeline that runs it can be fed by log
   * receivers; its receivers and processors then work on logs and its exporters get the derived signal.
   */
  derives?: readonly Signal[];
  /**
   * The processor guards data (access control, masking, sealing): if it cannot run on a batch, the
   * batch is held sealed, never sent without it (fail closed). Others are skipped with a marker.
   */
  guards?: boolean;
  /**
   * Its worker part makes much short-lived data per record (scans, pseudonyms, sealing: ~10 KB a
   * record where parsing makes ~3): while a pipeline runs one, the pool gives its workers a young
   * generation that holds a whole batch's garbage (agent/pool/worker-pool.ts), else a smaller one.
   */
  heavyScratch?: boolean;
  /**
   * The processor's main-thread part, for state the workers need read-only (a metadata snapshot,
   * keys, a policy): what it publishes reaches every worker's ProcessorContext.state. It also merges
   * what the workers emit (consumeAggregates) and can add records of its own (output).
   */
  createMain?(
    settings: ComponentSettings,
    config: z.output<S>,
    state: SharedStateWriter,
    output: ProcessorOutput,
  ): ProcessorMain;
}

export interface ProcessorMain extends Component {
  /** Aggregates the worker part emitted for one batch of `pipeline`, in batch completion order. */
  consumeAggregates?(aggregates: unknown[], pipeline: string): void;
}

/** Records a processor's main-thread part makes itself (e.g. anomaly events). */
export interface ProcessorOutput {
  /** To the exporters of every pipeline that runs this processor, after its processors. */
  emitLogs(batch: ResourceLogs): Promise<void>;
  /** As metrics, to the same exporters (those that accept metrics). */
  emitMetrics(batch: ResourceMetrics): Promise<void>;
}

export interface ExporterFactory<S extends z.ZodType = z.ZodType> extends FactoryBase<'exporter', S> {
  create(settings: ComponentSettings, config: z.output<S>): Exporter;
}

export type AnyFactory = ReceiverFactory | ProcessorFactory | ExporterFactory;
