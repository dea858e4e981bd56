// The main-thread part: feeds the workers' aggregates to the engine, emits anomaly records and the
// score gauge through the pipelines that run the processor, and snapshots the engine's state.
import { join } from 'node:path';
import type { ComponentSettings, ProcessorMain, ProcessorOutput } from '../../agent/kit/component.ts';
import { PeriodicTask } from '../../agent/kit/periodic-task.ts';
import type { BatchAggregate } from './aggregate.ts';
import { scoreMetric, toLogRecord } from './anomaly-event.ts';
import type { AnomalyConfig } from './config.ts';
import { AnomalyEngine } from './engine.ts';
import { loadState, saveState } from './snapshot.ts';

const SCOPE = { name: 'meshtail/anomaly' };
const SHUTDOWN_SAVE_MS = 10_000;

export class AnomalyMain implements ProcessorMain {
  readonly #settings: ComponentSettings;
  readonly #config: AnomalyConfig;
  readonly #output: ProcessorOutput;
  readonly #path: string;
  readonly #snapshots: PeriodicTask;
  readonly #late: (n: number) => void;
  #engine: AnomalyEngine;
  #state: 'new' | 'started' | 'stopped' = 'new';

  constructor(settings: ComponentSettings, config: AnomalyConfig, output: ProcessorOutput) {
    this.#settings = settings;
    this.#config = config;
    this.#output = output;
    this.#path = join(settings.dataDir, 'anomaly', `${settings.id.replaceAll('/', '_')}.json`);
    this.#engine = new AnomalyEngine(config);
    this.#snapshots = new PeriodicTask(() => this.#save(), config.snapshot_interval);
    const late = settings.metrics.counter(
      'meshtail_processor_anomaly_late_records_total',
      'Access records that reached the anomaly processor after their bucket closed (behind allowed_lateness).',
      ['processor'],
    );
    this.#late = (n) => late.inc({ processor: settings.id }, n);
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    this.#state = 'started';
    try {
      const state = await loadState(this.#path);
      if (state) this.#engine = new AnomalyEngine(this.#config, state);
    } catch (err) {
      this.#settings.logger.warn(
        { processor: this.#settings.id, error: (err as Error).message },
        'anomaly state not loaded',
      );
    }
    this.#snapshots.start();
  }

  consumeAggregates(aggregates: unknown[], _pipeline: string): void {
    const lateBefore = this.#engine.lateRecords;
    for (const a of aggregates) {
      for (const j of this.#engine.add(a as BatchAggregate)) {
        const at = j.bucket.start + this.#config.bucket;
        if (j.events.length > 0) {
          const now = Date.now();
          const records = j.events.map((e) => toLogRecord(e, now));
          void this.#output.emitLogs({ resource: {}, scope: SCOPE, records }).catch(this.#lost);
        }
        const c = this.#config;
        const metric = scoreMetric(j.observations, j.bucket.start, at, c.threshold, c.max_score_points);
        if (metric.type === 'gauge' && metric.points.length > 0) {
          void this.#output.emitMetrics({ resource: {}, scope: SCOPE, metrics: [metric] }).catch(this.#lost);
        }
      }
    }
    const late = this.#engine.lateRecords - lateBefore;
    if (late > 0) this.#late(late);
  }

  #lost = (err: unknown): void => {
    this.#settings.logger.warn(
      { processor: this.#settings.id, error: (err as Error).message },
      'anomaly output failed',
    );
  };

  async #save(): Promise<void> {
    try {
      await saveState(this.#path, this.#engine.state());
    } catch (err) {
      this.#settings.logger.warn(
        { processor: this.#settings.id, error: (err as Error).message },
        'anomaly state not saved',
      );
    }
  }

  async shutdown(): Promise<void> {
    if (this.#state !== 'started') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    await this.#snapshots.stop(SHUTDOWN_SAVE_MS);
  }
}
