// A pipeline's processors, loaded once per worker from their modules.
import type { ProcessLogs, ProcessorModule } from './processor.ts';
import { SharedStateReader } from './shared-state.ts';
import type { PipelinePlan } from './task.ts';

export interface ChainLink {
  id: string;
  process: ProcessLogs;
}

export async function loadChain(plan: PipelinePlan): Promise<ChainLink[]> {
  const chain: ChainLink[] = [];
  for (const p of plan.processors) {
    const mod = (await import(p.module)) as ProcessorModule;
    const context = p.state ? { id: p.id, state: new SharedStateReader(p.state) } : { id: p.id };
    chain.push({ id: p.id, process: mod.createProcessor(p.config, context) });
  }
  return chain;
}
