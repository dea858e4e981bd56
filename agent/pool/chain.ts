// A pipeline's processors, loaded once per worker from their modules.

import type { ProcessLogs, ProcessorContext, ProcessorModule } from '../kit/worker/processor.ts';
import { SharedStateReader } from '../kit/worker/shared-state.ts';
import { emitAggregate } from './aggregates.ts';
import { countEvent } from './events.ts';
import type { PipelinePlan } from './task.ts';

export interface ChainLink {
  id: string;
  /** A guarding processor is never skipped: if it cannot run, the batch is held (fail closed). */
  guards: boolean;
  process: ProcessLogs;
}

export async function loadChain(plan: PipelinePlan): Promise<ChainLink[]> {
  const chain: ChainLink[] = [];
  for (const p of plan.processors) {
    const mod = (await import(p.module)) as ProcessorModule;
    const count = (event: string, n = 1) => countEvent(p.id, event, n);
    const emit = (aggregate: unknown) => emitAggregate(p.id, aggregate);
    const context: ProcessorContext = p.state
      ? { id: p.id, state: new SharedStateReader(p.state), count, emit }
      : { id: p.id, count, emit };
    chain.push({ id: p.id, guards: p.guards === true, process: mod.createProcessor(p.config, context) });
  }
  return chain;
}
