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
import type { WorkerResult, WorkerTask } from '../pool/task.ts';
import { splitByTenant } from '../pool/tenant-split.ts';
import type { WorkerPool } from '../pool/worker-pool.ts';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import { tracer } from '../telemetry/self-traces.ts';
import { freeBytes } from './free-bytes.ts';
import type { Quarantine } from './quarantine.ts';
import { Semaphore } from './semaphore.ts';

export interface PipelineOptions {
  id: string;
  signal: Signal;
  pool: WorkerPool;
  exporters: Exporter[];
  maxInflight: number;
  maxAttempts: number;
  /** True when a processor of the pipeline guards (rbac, redact, encrypt, or marked): it fails closed. */
  guarded: boolean;
  /** Where batches a guarding processor could not run on are held, sealed, until replayed. */
  quarantine: Quarantine;
  /** A task running longer is cut (its worker terminated) and its batch fails. */
  taskTimeoutMs: number;
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
      held: m.counter(
        'meshtail_pipeline_held_records_total',
        'Lines held sealed in the quarantine because a guarding processor could not run on them (replayed at the next start).',
        l,
      ),
      replayed: m.counter(
        'meshtail_pipeline_replayed_records_total',
        'Held lines that a replay processed and delivered.',
        l,
      ),
      timeouts: m.counter(
        'meshtail_pipeline_task_timeouts_total',
        'Pool tasks cut at service.workers.task_timeout (their worker terminated).',
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
    await this.#export(result);
  }

  async #export(result: WorkerResult): Promise<void> {
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
    // Every export settled (a rejection skips this: another may still be running). Freed only when
    // no exporter of the pipeline keeps or still writes the bytes themselves.
    if (this.#options.exporters.every((e) => e.releasesPayload === true)) {
      for (const out of result.outputs) for (const bytes of Object.values(out.encoded)) freeBytes(bytes);
    }
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

  /**
   * Replays the batches held in the quarantine (at start, once the cause may be fixed): each runs
   * again, always failing closed; delivered, it leaves the quarantine; failing again, it stays.
   */
  async replayHeld(): Promise<{ replayed: number; held: number }> {
    const names = this.#options.quarantine.names();
    let replayed = 0;
    for (const name of names) {
      let task: WorkerTask;
      try {
        task = this.#options.quarantine.open(name);
      } catch {
        this.#options.logger.error(
          { pipeline: this.id, file: name },
          'a held batch does not open; left in place',
        );
        continue;
      }
      await this.#slots.acquire();
      try {
        const result = await this.#run(task, name);
        if (!result) continue;
        await this.#export(result);
        this.#options.quarantine.release(name);
        this.#metrics.replayed.inc({ pipeline: this.id }, countLines(task.data));
        replayed++;
      } finally {
        this.#slots.release();
      }
    }
    if (names.length > 0)
      this.#options.logger.info(
        { pipeline: this.id, batches: names.length, replayed },
        'replayed held batches; those that failed again stay held',
      );
    return { replayed, held: names.length - replayed };
  }

  async #process(batch: RawBatch): Promise<WorkerResult | undefined> {
    const task: WorkerTask = {
      pipeline: this.id,
      data: batch.data,
      resource: batch.resource,
      attributes: batch.attributes,
      decoder: batch.decoder,
      observedTimeUnixNano: batch.observedTimeUnixNano,
      ...(batch.parts && { parts: wireParts(batch.parts) }),
    };
    return this.#run(task);
  }

  /**
   * Runs a task in the pool; a dead worker gets it again. When no attempt succeeds, a pipeline that
   * guards holds it (fail closed); one that guards nothing sends it once more with processors
   * bypassed, marked. A task past the time budget fails at once (it would most likely stall again).
   * `heldAs` names the quarantine file of a replayed task: it always fails closed, and stays held.
   */
  async #run(task: WorkerTask, heldAs?: string): Promise<WorkerResult | undefined> {
    const failClosed = this.#options.guarded || heldAs !== undefined;
    let lastError = '';
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      try {
        const result = await this.#options.pool.run(task, this.#options.taskTimeoutMs);
        if (!result.held) return result;
        return this.#hold(task, `processor ${result.held.processor} failed on every attempt`, heldAs);
      } catch (err) {
        if (isAbort(err)) {
          this.#metrics.timeouts.inc({ pipeline: this.id });
          if (failClosed) return this.#hold(task, 'task ran past service.workers.task_timeout', heldAs);
          lastError = 'task ran past service.workers.task_timeout';
          break;
        }
        lastError = err instanceof Error ? err.message : String(err);
        this.#metrics.workerRetries.inc({ pipeline: this.id });
        this.#options.logger.warn(
          { pipeline: this.id, attempt, err: lastError },
          'worker failed on a batch; retrying',
        );
      }
    }
    if (failClosed) return this.#hold(task, `worker failed ${this.#options.maxAttempts} times`, heldAs);
    try {
      return await this.#options.pool.run(
        { ...task, bypass: `worker failed ${this.#options.maxAttempts} times: ${lastError}` },
        this.#options.taskTimeoutMs,
      );
    } catch (err) {
      const lines = countLines(task.data);
      this.#metrics.lost.inc({ pipeline: this.id }, lines);
      this.#options.logger.error(
        { pipeline: this.id, lines, err: isAbort(err) ? 'time budget' : String(err) },
        'batch could not be processed; dropped',
      );
      return undefined;
    }
  }

  /**
   * Seals the task into the quarantine (or leaves it there, for a replay), counts and logs it, no
   * content. If the disk refuses, the lines are dropped and counted: lost, never sent in clear.
   */
  #hold(task: WorkerTask, reason: string, heldAs: string | undefined): undefined {
    const lines = countLines(task.data);
    const labels = { pipeline: this.id };
    if (heldAs !== undefined) {
      this.#options.logger.warn(
        { pipeline: this.id, lines, reason, file: heldAs },
        'held batch failed again; still held',
      );
      return undefined;
    }
    try {
      const file = this.#options.quarantine.hold(task);
      this.#metrics.held.inc(labels, lines);
      this.#options.logger.error(
        { pipeline: this.id, lines, reason, file },
        'batch held sealed in the quarantine',
      );
    } catch (err) {
      this.#metrics.lost.inc(labels, lines);
      this.#options.logger.error(
        { pipeline: this.id, lines, reason, err: (err as NodeJS.ErrnoException).code ?? 'error' },
        'batch could not be held; dropped, not sent',
      );
    }
    return undefined;
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
