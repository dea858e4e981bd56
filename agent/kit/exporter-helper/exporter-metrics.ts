// The self-metrics every exporter reports, declared once here so all exporters share names and
// labels (DESIGN.md: meshtail_exporter_<what>_total, labelled by the exporter id).
import type { ComponentMetrics } from '../telemetry.ts';

/** Why records were given up after being tried. */
export type FailReason = 'permanent' | 'retries_exhausted' | 'rejected';
/** Why records were never sent: still queued in memory at the shutdown deadline, or the disk queue's bounds. */
export type DropReason = 'shutdown' | 'queue_full' | 'expired' | 'unreadable';

const SEND_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ExporterMetrics {
  readonly #labels: { exporter: string };
  readonly #sent;
  readonly #failed;
  readonly #dropped;
  readonly #retries;
  readonly #queueSize;
  readonly #sendSeconds;

  constructor(metrics: ComponentMetrics, exporterId: string, queueCapacity: number) {
    this.#labels = { exporter: exporterId };
    this.#sent = metrics.counter(
      'meshtail_exporter_sent_records_total',
      'Records delivered to the backend.',
      ['exporter'],
    );
    this.#failed = metrics.counter(
      'meshtail_exporter_failed_records_total',
      'Records given up after sending: permanent error, retries exhausted, or rejected by the backend (partial success).',
      ['exporter', 'reason'],
    );
    this.#dropped = metrics.counter(
      'meshtail_exporter_dropped_records_total',
      'Records never sent: still queued in memory or waiting for a retry at the shutdown deadline (shutdown); ' +
        'beyond the disk queue bounds (queue_full, expired); in a disk queue segment that cannot be read (unreadable).',
      ['exporter', 'reason'],
    );
    this.#retries = metrics.counter('meshtail_exporter_retries_total', 'Send attempts that were retries.', [
      'exporter',
    ]);
    this.#queueSize = metrics.gauge(
      'meshtail_exporter_queue_size',
      'Payloads waiting in the sending queue.',
      ['exporter'],
    );
    const capacity = metrics.gauge(
      'meshtail_exporter_queue_capacity',
      'Sending queue capacity: payloads (storage: memory) or bytes (storage: disk).',
      ['exporter'],
    );
    this.#sendSeconds = metrics.histogram(
      'meshtail_exporter_send_duration_seconds',
      'Duration of one send attempt.',
      ['exporter'],
      SEND_SECONDS_BUCKETS,
    );
    capacity.set(this.#labels, queueCapacity);
    this.#queueSize.set(this.#labels, 0);
  }

  sent(records: number): void {
    if (records > 0) this.#sent.inc(this.#labels, records);
  }
  failed(reason: FailReason, records: number): void {
    if (records > 0) this.#failed.inc({ ...this.#labels, reason }, records);
  }
  dropped(reason: DropReason, records: number): void {
    if (records > 0) this.#dropped.inc({ ...this.#labels, reason }, records);
  }
  retried(): void {
    this.#retries.inc(this.#labels);
  }
  queueSize(size: number): void {
    this.#queueSize.set(this.#labels, size);
  }
  sendSeconds(seconds: number): void {
    this.#sendSeconds.observe(this.#labels, seconds);
  }
}
