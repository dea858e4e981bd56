// This receiver's own metrics, named meshtail_receiver_<what> and labelled by receiver id. The
// per-file lag gauge is the only series labelled by path: it exists while the file is tracked and
// is removed when the file is let go, so its cardinality follows the files on the node.
import type { ComponentMetrics } from '../../agent/kit/telemetry.ts';

const LAG = 'meshtail_receiver_file_lag_bytes';

export class FilelogMetrics {
  readonly #labels: { receiver: string };
  readonly filesTracked;
  readonly filesOpen;
  readonly readBytes;
  readonly readLines;
  readonly rotations;
  readonly truncations;
  readonly givenUp;
  readonly truncatedLines;
  readonly errors;
  readonly stallRescans;
  readonly dirsPolled;
  readonly backfillTarget;
  readonly backfillCommitted;
  readonly #lag;
  readonly #metrics: ComponentMetrics;

  constructor(m: ComponentMetrics, receiver: string) {
    this.#labels = { receiver };
    const r = ['receiver'];
    this.filesTracked = m.gauge('meshtail_receiver_files_tracked', 'Files being tailed.', r);
    this.filesOpen = m.gauge('meshtail_receiver_files_open', 'File handles held open.', r);
    this.readBytes = m.counter('meshtail_receiver_read_bytes_total', 'Bytes read from files.', r);
    this.readLines = m.counter('meshtail_receiver_read_lines_total', 'Lines read from files.', r);
    this.rotations = m.counter(
      'meshtail_receiver_rotations_total',
      'Tracked files renamed away or deleted (read to their end before they are let go).',
      r,
    );
    this.truncations = m.counter(
      'meshtail_receiver_truncations_total',
      'Truncated or rewritten files seen.',
      r,
    );
    this.givenUp = m.counter(
      'meshtail_receiver_files_given_up_total',
      'Rotated or deleted files let go before they were read to their end (rotate_wait).',
      r,
    );
    this.truncatedLines = m.counter(
      'meshtail_receiver_truncated_lines_total',
      'Lines cut at max_line_size.',
      r,
    );
    this.errors = m.counter('meshtail_receiver_errors_total', 'Read errors, by receiver.', r);
    this.stallRescans = m.counter(
      'meshtail_receiver_stall_rescans_total',
      'Rescans of every watched directory and path because the event loop stalled long enough for inotify to drop notifications.',
      r,
    );
    this.dirsPolled = m.gauge(
      'meshtail_receiver_directories_polled',
      'Directories of tailed files checked once a second instead of watched, because their files are appended every second (cheaper than an event per append).',
      r,
    );
    this.backfillTarget = m.gauge(
      'meshtail_receiver_backfill_target_bytes',
      'Bytes to read from the files present at start (size minus the starting offset).',
      r,
    );
    this.backfillCommitted = m.gauge(
      'meshtail_receiver_backfill_committed_bytes',
      'Of the backfill target, bytes delivered and committed so far.',
      r,
    );
    this.#metrics = m;
    this.#lag = m.gauge(LAG, 'Size minus committed offset, per tracked file.', ['receiver', 'path']);
  }

  get labels(): { receiver: string } {
    return this.#labels;
  }

  /**
   * Sets the lag series from `files` at every scrape (not on every poll), and removes the series of
   * files no longer there. Returns the function that stops it (at shutdown).
   */
  sampleLag(files: () => Iterable<{ path: string; lag: number }>): () => void {
    const reported = new Set<string>();
    return this.#metrics.sampleGauge(LAG, () => {
      const now = new Set<string>();
      for (const f of files()) {
        this.#lag.set({ ...this.#labels, path: f.path }, f.lag);
        now.add(f.path);
      }
      for (const path of reported) if (!now.has(path)) this.#lag.remove({ ...this.#labels, path });
      reported.clear();
      for (const path of now) reported.add(path);
    });
  }
}
