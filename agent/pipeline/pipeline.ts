// One pipeline: batches go to the worker pool (processors + encoding) and the encoded requests fan
// out to every exporter of the pipeline. In-flight batches are bounded by a semaphore, which is
// where receivers pause when the pool or an exporter is behind.

import type { Logger } from 'pino';
import type { Delivery, Exporter, RawBatch } from '../kit/component.ts';
import { encodeLogs, encodeMetrics } from '../kit/otlp/encoder.ts';
import { countLines } from '../kit/record/count-lines.ts';
import { wireParts } from '../kit/record/packed-origin.ts';
import type { ResourceLogs, ResourceMetrics } from '../kit/record/record.ts';
import type { Signal } from '../kit/record/signal.ts';
import type { WorkerResult } from '../pool/task.ts';
import { splitByTenant } from '../pool/tenant-split.ts';
import type { WorkerPool } from '../pool/worker-pool.ts';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import { tracer } from '../telemetry/self-traces.ts';
import { Semaphore } from './semaphore.ts';

export interface PipelineOptions {
  id: string;
  signal: Signal;
  pool: WorkerPool;
  exporters: Exporter[];
  maxInflight: number;
  maxAttempts: number;
  metrics: SelfMetrics;
  logger: Logger;
  /** Admission control (memory_limiter): awaited before a batch takes a slot; pending pauses the receivers. */
  admit?: () => Promise<void>;
  /** Where processors' per-batch aggregates go (their main-thread parts). */
  onAggregates?: (aggregates: { processor: string; data: unknown }[], pipeline: string) => void;
}

export class Pipeline {
  readonly id: string;
  readonly #options: PipelineOptions;
  readonly #slots: Semaphore;
  readonly #metrics;

  constructor(options: PipelineOptions) {
    this.id = options.id;
    this.#options = options;
    this.#slots = new Semaphore(options.maxInflight);
    const m = options.metrics;
    const l = ['pipeline'];
    this.#metrics = {
      inflight: m.gauge('meshtail_pipeline_inflight_batches', 'Batches in the pool or at the exporters.', l),
      records: m.counter('meshtail_pipeline_records_total', 'Records that left the processors.', l),
      workerRetries: m.counter(
        'meshtail_pipeline_worker_retries_total',
        'Batches sent again because their worker thread died.',
        l,
      ),
      lost: m.counter(
        'meshtail_pipeline_dropped_records_total',
        'Lines no worker could process, even with processors bypassed (counted, logged).',
        l,
      ),
      procFailed: m.counter(
        'meshtail_processor_failed_records_total',
        'Records that went on without a processor because it threw on every attempt.',
        ['processor', 'pipeline'],
      ),
      events: m.counter(
        'meshtail_processor_events_total',
        'What processors counted in the workers (e.g. redactions per entity type), by processor and event.',
        ['processor', 'event', 'pipeline'],
      ),
      labelsMissing: m.counter(
        'meshtail_pipeline_labels_missing_records_total',
        'Access records without a label the mesh_parse `required` list names (tagged meshtail.labels.missing).',
        l,
      ),
      parseErrors: m.counter(
        'meshtail_pipeline_parse_error_records_total',
        'Records that carry meshtail.parse.error.',
        l,
      ),
    };
  }

  /** Waits for a slot (backpressure), then processes and exports in the background. */
  async consume(batch: RawBatch, onResult?: (r: WorkerResult) => void): Promise<Delivery> {
    if (this.#options.admit) await this.#options.admit();
    await this.#slots.acquire();
    this.#metrics.inflight.set({ pipeline: this.id }, this.#slots.inUse);
    const done = this.#deliver(batch, onResult).finally(() => {
      this.#slots.release();
      this.#metrics.inflight.set({ pipeline: this.id }, this.#slots.inUse);
    });
    return { done };
  }

  #deliver(batch: RawBatch, onResult?: (r: WorkerResult) => void): Promise<void> {
    // One span per batch when service.telemetry.traces is set; the API's no-op tracer otherwise.
    return tracer.startActiveSpan('meshtail.pipeline.batch', async (span) => {
      span.setAttribute('meshtail.pipeline', this.id);
      span.setAttribute('meshtail.batch.bytes', batch.data.byteLength);
      try {
        await this.#processAndExport(batch, onResult, (records) =>
          span.setAttribute('meshtail.batch.records', records),
        );
      } finally {
        span.end();
      }
    });
  }

  async #processAndExport(
    batch: RawBatch,
    onResult: ((r: WorkerResult) => void) | undefined,
    noteRecords: (records: number) => void,
  ): Promise<void> {
    const result = await this.#process(batch);
    if (!result) return;
    noteRecords(result.records);
    onResult?.(result);
    const labels = { pipeline: this.id };
    this.#metrics.records.inc(labels, result.records);
    if (result.parseErrors > 0) this.#metrics.parseErrors.inc(labels, result.parseErrors);
    if (result.labelsMissing > 0) this.#metrics.labelsMissing.inc(labels, result.labelsMissing);
    if (result.aggregates.length > 0) this.#options.onAggregates?.(result.aggregates, this.id);
    for (const e of result.events) {
      this.#metrics.events.inc({ processor: e.processor, event: e.event, pipeline: this.id }, e.count);
    }
    for (const f of result.processorFailures) {
      this.#metrics.procFailed.inc({ processor: f.processor, pipeline: this.id }, f.records);
    }
    const sends: Promise<void>[] = [];
    for (const out of result.outputs) {
      for (const exporter of this.#options.exporters) {
        const bytes = out.encoded[exporter.encoding];
        if (!bytes) continue;
        const payload = { signal: this.#options.signal, bytes, records: out.records };
        sends.push(exporter.export(out.tenant ? { ...payload, tenant: out.tenant } : payload));
      }
    }
    await Promise.all(sends);
  }

  /**
   * Records made on the main thread by a processor's main-thread part (anomaly events, their score
   * gauges): encoded here (they are few) and sent to this pipeline's exporters, one request per tenant.
   */
  async inject(signal: 'logs', batch: ResourceLogs): Promise<void>;
  async inject(signal: 'metrics', batch: ResourceMetrics): Promise<void>;
  async inject(signal: 'logs' | 'metrics', batch: ResourceLogs | ResourceMetrics): Promise<void> {
    const sends: Promise<void>[] = [];
    const parts =
      signal === 'logs'
        ? splitByTenant(batch as ResourceLogs).map((p) => ({
            tenant: p.tenant,
            records: p.batch.records.length,
            p,
          }))
        : [{ tenant: undefined, records: (batch as ResourceMetrics).metrics.length, p: undefined }];
    for (const part of parts) {
      for (const exporter of this.#options.exporters) {
        const bytes =
          signal === 'logs'
            ? encodeLogs([part.p!.batch], exporter.encoding)
            : encodeMetrics([batch as ResourceMetrics], exporter.encoding);
        const payload = { signal, bytes, records: part.records };
        sends.push(
          exporter.export(part.tenant !== undefined ? { ...payload, tenant: part.tenant } : payload),
        );
      }
    }
    await Promise.all(sends);
  }

  /** Runs the batch in the pool; a dead worker gets the batch again, then once more with processors bypassed. */
  async #process(batch: RawBatch): Promise<WorkerResult | undefined> {
    const task = {
      pipeline: this.id,
      data: batch.data,
      resource: batch.resource,
      attributes: batch.attributes,
      decoder: batch.decoder,
      observedTimeUnixNano: batch.observedTimeUnixNano,
      ...(batch.parts && { parts: wireParts(batch.parts) }),
    };
    let lastError = '';
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      try {
        return await this.#options.pool.run(task);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        this.#metrics.workerRetries.inc({ pipeline: this.id });
        this.#options.logger.warn(
          { pipeline: this.id, attempt, err: lastError },
          'worker failed on a batch; retrying',
        );
      }
    }
    try {
      return await this.#options.pool.run({
        ...task,
        bypass: `worker failed ${this.#options.maxAttempts} times: ${lastError}`,
      });
    } catch (err) {
      const lines = countLines(batch.data);
      this.#metrics.lost.inc({ pipeline: this.id }, lines);
      this.#options.logger.error(
        { pipeline: this.id, lines, err: String(err) },
        'batch could not be processed; dropped',
      );
      return undefined;
    }
  }
}
