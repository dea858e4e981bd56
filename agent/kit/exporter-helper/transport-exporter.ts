// Turns a Transport into the Exporter of agent/kit/component.ts: an optional sending queue (memory
// or disk) in front, retries with backoff per payload, self-metrics, and a shutdown that drains
// within a deadline and counts whatever is left as dropped.
import { join } from 'node:path';
import type { ComponentSettings, Exporter, Payload } from '../component.ts';
import { runConsumers } from '../queue/consumers.ts';
import { DiskQueue } from '../queue/disk-queue/disk-queue.ts';
import { DropTally } from '../queue/disk-queue/drop-tally.ts';
import { QueueKeys } from '../queue/disk-queue/queue-keys.ts';
import { MemoryQueue } from '../queue/memory-queue.ts';
import type { PayloadQueue } from '../queue/payload-queue.ts';
import type { Encoding } from '../record/signal.ts';
import { type RetryOutcome, sendWithRetry } from '../retry/send-with-retry.ts';
import { ExporterMetrics } from './exporter-metrics.ts';
import type { ExporterHelperConfig } from './exporter-options.ts';
import type { Transport } from './transport.ts';

interface Queued {
  payload: Payload;
  settle: () => void;
}

type State = 'new' | 'started' | 'stopping' | 'stopped';

export class TransportExporter implements Exporter {
  readonly encoding: Encoding;
  readonly #settings: ComponentSettings;
  readonly #config: ExporterHelperConfig;
  readonly #transport: Transport;
  readonly #metrics: ExporterMetrics;
  /** Fires at the drain deadline: ends waits and in-flight attempts. */
  readonly #stop = new AbortController();
  readonly #inflight = new Set<Promise<void>>();
  #queue: PayloadQueue<Queued> | undefined;
  #consumers: Promise<void> = Promise.resolve();
  #state: State = 'new';
  #shutdown: Promise<void> | undefined;
  readonly #droppedAtShutdown = { payloads: 0, records: 0 };

  constructor(
    settings: ComponentSettings,
    config: ExporterHelperConfig,
    encoding: Encoding,
    transport: Transport,
  ) {
    this.encoding = encoding;
    this.#settings = settings;
    this.#config = config;
    this.#transport = transport;
    const q = config.sending_queue;
    const capacity = !q.enabled ? 0 : q.storage === 'disk' ? q.max_size : q.queue_size;
    this.#metrics = new ExporterMetrics(settings.metrics, settings.id, capacity);
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    await this.#transport.start?.();
    const q = this.#config.sending_queue;
    if (q.enabled) {
      const queue = q.storage === 'disk' ? await this.#openDiskQueue() : this.#memoryQueue();
      this.#queue = queue;
      this.#consumers = runConsumers(queue, q.num_consumers, async (item) => {
        // An item cut short by the shutdown deadline stays on disk, unacknowledged, for the next run.
        if ((await this.#deliver(item.payload, queue.durable)) !== 'stopped' || !queue.durable) item.settle();
      });
    }
    this.#state = 'started';
  }

  #memoryQueue(): PayloadQueue<Queued> {
    return new MemoryQueue<Queued>(this.#config.sending_queue.queue_size, (n) => this.#metrics.queueSize(n));
  }

  async #openDiskQueue(): Promise<PayloadQueue<Queued>> {
    const q = this.#config.sending_queue;
    const id = this.#settings.id;
    return DiskQueue.open({
      dir: join(this.#settings.dataDir, 'queues', encodeURIComponent(id)),
      keys: new QueueKeys(q.encryption),
      maxSize: q.max_size,
      maxAge: q.max_age,
      fsync: q.fsync,
      fsyncInterval: q.fsync_interval,
      segmentSize: q.segment_size,
      whenFull: q.when_full,
      drops: new DropTally(this.#settings.logger, id, (reason, records) =>
        this.#metrics.dropped(reason, records),
      ),
      onSize: (payloads) => this.#metrics.queueSize(payloads),
    });
  }

  /**
   * Once export() settles the queue no longer holds the payload (a memory queue settles after
   * delivery, a disk queue after writing its own sealed copy), so this depends on the transport only.
   */
  get releasesPayload(): boolean {
    return this.#transport.releasesPayload === true;
  }

  async export(payload: Payload): Promise<void> {
    if (this.#state === 'new') throw new Error(`exporter ${this.#settings.id}: export before start`);
    if (this.#state !== 'started') return this.#drop(payload);
    const queue = this.#queue;
    if (!queue) return this.#track(this.#deliver(payload).then(() => {}));
    const { promise, resolve } = Promise.withResolvers<void>();
    let admitted: boolean;
    try {
      admitted = await queue.put({ payload, settle: resolve });
    } catch (err) {
      // The disk queue could not write (ENOSPC, EIO): send this payload directly and settle after
      // delivery, so nothing is lost and offsets wait for the backend. One line per failure, no contents.
      this.#settings.logger.error(
        { exporter: this.#settings.id, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message },
        'disk queue write failed; sending directly',
      );
      return this.#track(this.#deliver(payload).then(() => {}));
    }
    if (!admitted) return this.#drop(payload);
    if (!queue.durable) await promise;
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#drainAndClose();
    return this.#shutdown;
  }

  async #drainAndClose(): Promise<void> {
    const wasStarted = this.#state === 'started';
    this.#state = 'stopping';
    if (wasStarted) {
      this.#queue?.close();
      const deadline = setTimeout(() => {
        this.#stop.abort();
        this.#queue?.halt?.();
      }, this.#config.sending_queue.drain_timeout);
      await Promise.all([this.#consumers, ...this.#inflight]);
      clearTimeout(deadline);
      // The consumers drop what they take after the deadline; this only catches a queue left with no consumer.
      for (const item of this.#queue?.drain() ?? []) {
        this.#drop(item.payload);
        item.settle();
      }
      await this.#queue?.shutdown?.();
    }
    this.#stop.abort();
    this.#state = 'stopped';
    if (this.#droppedAtShutdown.payloads > 0) {
      // One line for the whole drop, not one per payload: a full queue is a thousand payloads.
      this.#settings.logger.warn(
        { exporter: this.#settings.id, ...this.#droppedAtShutdown, reason: 'shutdown' },
        'payloads dropped at shutdown',
      );
    }
    await this.#transport.shutdown();
  }

  async #track(work: Promise<void>): Promise<void> {
    this.#inflight.add(work);
    try {
      await work;
    } finally {
      this.#inflight.delete(work);
    }
  }

  /**
   * Sends one payload to its end and counts the outcome. Never throws: consumers must keep going.
   * `keep`: a payload stopped by the shutdown deadline stays queued (on disk), so it is not dropped.
   */
  async #deliver(payload: Payload, keep = false): Promise<RetryOutcome['kind']> {
    let outcome: RetryOutcome;
    try {
      outcome = await sendWithRetry(
        (signal) => this.#transport.send(payload, signal),
        this.#config.retry_on_failure,
        {
          stop: this.#stop.signal,
          timeoutMs: this.#config.timeout,
          onAttempt: (seconds) => this.#metrics.sendSeconds(seconds),
          onRetry: () => this.#metrics.retried(),
        },
      );
    } catch (err) {
      outcome = { kind: 'failed', reason: 'permanent', error: (err as Error).message };
    }
    if (!(keep && outcome.kind === 'stopped')) this.#count(payload, outcome);
    return outcome.kind;
  }

  #count(payload: Payload, outcome: RetryOutcome): void {
    const { records, signal } = payload;
    const log = this.#settings.logger;
    const exporter = this.#settings.id;
    switch (outcome.kind) {
      case 'success': {
        const rejected = Math.min(outcome.rejected, records);
        this.#metrics.sent(records - rejected);
        this.#metrics.failed('rejected', rejected);
        if (rejected > 0 || outcome.message) {
          log.warn(
            { exporter, signal, records, rejected, message: outcome.message },
            'backend rejected part of a payload',
          );
        }
        return;
      }
      case 'failed':
        this.#metrics.failed(outcome.reason, records);
        log.error(
          { exporter, signal, records, reason: outcome.reason, error: outcome.error },
          'payload given up',
        );
        return;
      case 'stopped':
        this.#drop(payload);
        return;
    }
  }

  #drop(payload: Payload): void {
    this.#metrics.dropped('shutdown', payload.records);
    this.#droppedAtShutdown.payloads++;
    this.#droppedAtShutdown.records += payload.records;
  }
}
