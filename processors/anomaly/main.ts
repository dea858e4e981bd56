// The main-thread part: feeds the workers' aggregates to the engine, emits anomaly records and the
// score gauge through the pipelines that run the processor, and snapshots the engine's state.
import { join } from 'node:path';
import type { ComponentSettings, ProcessorMain, ProcessorOutput } from '../../agent/kit/component.ts';
import type { BucketAggregate } from './aggregate.ts';
import { scoreMetric, toLogRecord } from './anomaly-event.ts';
import type { AnomalyConfig } from './config.ts';
import { AnomalyEngine } from './engine.ts';
import { loadState, saveState } from './snapshot.ts';

const SCOPE = { name: 'meshtail/anomaly' };

export class AnomalyMain implements ProcessorMain {
  readonly #settings: ComponentSettings;
  readonly #config: AnomalyConfig;
  readonly #output: ProcessorOutput;
  readonly #path: string;
  #engine: AnomalyEngine;
  #timer: NodeJS.Timeout | undefined;
  #state: 'new' | 'started' | 'stopped' = 'new';
  #saving: Promise<void> = Promise.resolve();

  constructor(settings: ComponentSettings, config: AnomalyConfig, output: ProcessorOutput) {
    this.#settings = settings;
    this.#config = config;
    this.#output = output;
    this.#path = join(settings.dataDir, 'anomaly', `${settings.id.replaceAll('/', '_')}.json`);
    this.#engine = new AnomalyEngine(config);
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
    this.#timer = setInterval(() => void this.#save(), this.#config.snapshot_interval);
    this.#timer.unref();
  }

  consumeAggregates(aggregates: unknown[], _pipeline: string): void {
    const buckets: BucketAggregate[] = [];
    for (const a of aggregates) buckets.push(...(a as { buckets: BucketAggregate[] }).buckets);
    const judged = this.#engine.add(buckets);
    for (const j of judged) {
      const at = j.bucket.start + this.#config.bucket;
      if (j.events.length > 0) {
        const now = Date.now();
        const records = j.events.map((e) => toLogRecord(e, now));
        void this.#output.emitLogs({ resource: {}, scope: SCOPE, records }).catch(this.#lost);
      }
      const metric = scoreMetric(j.observations, j.bucket.start, at);
      if (metric.type === 'gauge' && metric.points.length > 0) {
        void this.#output.emitMetrics({ resource: {}, scope: SCOPE, metrics: [metric] }).catch(this.#lost);
      }
    }
  }

  #lost = (err: unknown): void => {
    this.#settings.logger.warn(
      { processor: this.#settings.id, error: (err as Error).message },
      'anomaly output failed',
    );
  };

  #save(): Promise<void> {
    this.#saving = this.#saving
      .then(() => saveState(this.#path, this.#engine.state()))
      .catch((err: Error) =>
        this.#settings.logger.warn(
          { processor: this.#settings.id, error: err.message },
          'anomaly state not saved',
        ),
      );
    return this.#saving;
  }

  async shutdown(): Promise<void> {
    if (this.#state !== 'started') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    clearInterval(this.#timer);
    await this.#save();
  }
}
