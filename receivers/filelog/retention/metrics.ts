// Self-metrics of the retention policy, labelled by receiver id like the receiver's own.
import type { ComponentMetrics } from '../../../agent/kit/telemetry.ts';

export type ReopenFailure = 'request_failed' | 'not_reopened';

export class RetentionMetrics {
  readonly #labels: { receiver: string };
  readonly #rotations;
  readonly #deleted;
  readonly #deferred;
  readonly #reopenFailures;
  readonly #kept;
  readonly #keptBytes;

  constructor(m: ComponentMetrics, receiver: string) {
    this.#labels = { receiver };
    const r = ['receiver'];
    this.#rotations = m.counter(
      'meshtail_receiver_retention_rotations_total',
      'Files renamed by the retention policy (rotate_size reached).',
      r,
    );
    this.#deleted = m.counter(
      'meshtail_receiver_retention_deleted_files_total',
      'Rotated files deleted after every byte of them was delivered.',
      r,
    );
    this.#deferred = m.counter(
      'meshtail_receiver_retention_deferred_rotations_total',
      'Rotations put off because max_rotated rotated files of the path are not yet delivered.',
      r,
    );
    this.#reopenFailures = m.counter(
      'meshtail_receiver_retention_reopen_failures_total',
      'Reopen requests that failed (request_failed) or were not followed by a reopen within reopen.timeout (not_reopened).',
      ['receiver', 'reason'],
    );
    this.#kept = m.gauge(
      'meshtail_receiver_retention_rotated_files',
      'Rotated files kept because they are not yet fully delivered or the writer has not reopened.',
      r,
    );
    this.#keptBytes = m.gauge('meshtail_receiver_retention_rotated_bytes', 'Bytes of those files.', r);
  }

  rotated(): void {
    this.#rotations.inc(this.#labels);
  }

  deleted(): void {
    this.#deleted.inc(this.#labels);
  }

  deferred(): void {
    this.#deferred.inc(this.#labels);
  }

  reopenFailed(reason: ReopenFailure): void {
    this.#reopenFailures.inc({ ...this.#labels, reason });
  }

  kept(files: number, bytes: number): void {
    this.#kept.set(this.#labels, files);
    this.#keptBytes.set(this.#labels, bytes);
  }
}
