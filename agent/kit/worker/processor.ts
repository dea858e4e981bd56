// The contract of a processor's worker module. It runs synchronously on one batch at a time and is
// stateless between batches, except for the read-only config it was created with (DESIGN.md).
import type { ResourceLogs } from '../record/record.ts';
import type { SharedStateReader } from './shared-state.ts';

export interface ProcessorContext {
  /** The processor's id in the config, e.g. `attributes/env`. */
  id: string;
  /** What the processor's main-thread part publishes (ProcessorFactory.createMain), read-only. */
  state?: SharedStateReader<unknown>;
  /**
   * Counts an event (e.g. `email` for a masked email address) into
   * meshtail_processor_events_total{processor, event}. Never pass a value as the event name.
   */
  count(event: string, n?: number): void;
  /**
   * Hands a per-batch aggregate (structured-cloneable) to the processor's main-thread part
   * (ProcessorMain.consumeAggregates), which merges batches and decides.
   */
  emit(aggregate: unknown): void;
}

/** Mutates the batch in place: changes records, adds or removes them. Throwing fails the batch. */
export type ProcessLogs = (batch: ResourceLogs) => void;

export interface ProcessorModule {
  createProcessor(config: unknown, context: ProcessorContext): ProcessLogs;
}
