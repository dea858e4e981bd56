// What /healthz and /readyz answer. Ready: the pipelines run, no exporter has retried without
// delivering anything for longer than exporter_failure_threshold, and no sending queue is full.
// Live: the pipelines have not stopped and the main thread did not stall longer than
// event_loop_stall_threshold within the last such period. Exporter state is read from their
// metrics when a probe or a scrape asks (no timer); the stall from the shared loop clock's ticks.
import { LOOP_CLOCK_MS, onLoopTick } from '../kit/loop-clock.ts';
import type { SelfMetrics } from './self-metrics.ts';

export interface HealthOptions {
  metrics: SelfMetrics;
  exporters: () => string[];
  /** The pipelines run (not stopping, not stopped). */
  ready: () => boolean;
  /** The pipelines have not stopped. */
  live: () => boolean;
  exporterFailureMs: number;
  stallMs: number;
}

export interface HealthReport {
  ok: boolean;
  reasons: string[];
}

interface ExporterSeen {
  sent: number;
  attempts: number;
  failingSince?: number;
}

export class Health {
  readonly #options: HealthOptions;
  readonly #seen = new Map<string, ExporterSeen>();
  #lastStallAt = Number.NEGATIVE_INFINITY;
  #stallGap = 0;
  readonly #off: () => void;

  constructor(options: HealthOptions) {
    this.#options = options;
    // A tick's lateness past its period is how long the main thread ran nothing else.
    this.#off = onLoopTick((gap, now) => {
      if (gap - LOOP_CLOCK_MS >= options.stallMs) {
        this.#lastStallAt = now;
        this.#stallGap = gap - LOOP_CLOCK_MS;
      }
    });
  }

  stop(): void {
    this.#off();
  }

  liveness(now = performance.now()): HealthReport {
    const reasons: string[] = [];
    if (!this.#options.live()) reasons.push('the pipelines have stopped');
    if (now - this.#lastStallAt < this.#options.stallMs)
      reasons.push(`the main thread stalled for ${Math.round(this.#stallGap)} ms`);
    return { ok: reasons.length === 0, reasons };
  }

  async readiness(now = performance.now()): Promise<HealthReport> {
    const reasons: string[] = [];
    if (!this.#options.ready()) reasons.push('the pipelines are not running');
    const m = this.#options.metrics;
    for (const exporter of this.#options.exporters()) {
      const labels = { exporter };
      const sent = await m.value('meshtail_exporter_sent_records_total', labels);
      // A failed attempt is a retry or records given up.
      const attempts =
        (await m.value('meshtail_exporter_retries_total', labels)) +
        (await m.value('meshtail_exporter_failed_records_total', labels));
      const seen = this.#seen.get(exporter) ?? { sent, attempts };
      if (sent > seen.sent) delete seen.failingSince;
      else if (attempts > seen.attempts) seen.failingSince ??= now;
      seen.sent = sent;
      seen.attempts = attempts;
      this.#seen.set(exporter, seen);
      if (seen.failingSince !== undefined && now - seen.failingSince >= this.#options.exporterFailureMs)
        reasons.push(`exporter ${exporter} has failed for ${Math.round((now - seen.failingSince) / 1000)} s`);
      const capacity = await m.value('meshtail_exporter_queue_capacity', labels);
      const size = await m.value('meshtail_exporter_queue_size', labels);
      if (capacity > 0 && size >= capacity) reasons.push(`exporter ${exporter}: sending queue full`);
    }
    return { ok: reasons.length === 0, reasons };
  }
}
