// One sample of everything the demo shows, each number read from a real counter: the simulator's
// own count of lines written, the agent's self-metrics by the names the components declare, and
// the requests read back from what the exporter wrote.

import type { Agent } from '../agent.ts';
import type { AgentConfig } from '../config/types.ts';
import type { MeshSimulator } from './mesh-simulator.ts';
import type { RecentRequests, RequestsSample } from './recent-requests.ts';
import type { Phase } from './traffic-schedule.ts';

export interface ExporterStats {
  id: string;
  sent: number;
  failed: number;
  dropped: number;
  retries: number;
}

export interface DemoStats {
  atMs: number;
  phase: Phase;
  pods: number;
  written: number;
  rotations: number;
  receivers: { id: string; accepted: number }[];
  pipelines: { id: string; records: number; parseErrors: number; dropped: number }[];
  exporters: ExporterStats[];
  pool: { utilization: number; queued: number };
  /** The filelog receivers' backfill of the files present at start (bytes), from their gauges. */
  backfill: { committed: number; total: number };
  requests: RequestsSample;
  /** What redact masked or pseudonymised, per entity found at least once, most found first. */
  masked: { entity: string; count: number }[];
}

export async function sampleStats(
  agent: Agent,
  config: AgentConfig,
  simulator: MeshSimulator,
  requests: RecentRequests,
): Promise<DemoStats> {
  const m = agent.metrics;
  const backfill = {
    committed: await m.value('meshtail_receiver_backfill_committed_bytes'),
    total: await m.value('meshtail_receiver_backfill_target_bytes'),
  };
  const receivers = await Promise.all(
    [...config.receivers.keys()].map(async (id) => ({
      id,
      accepted: await m.value('meshtail_receiver_accepted_records_total', { receiver: id }),
    })),
  );
  const pipelines = await Promise.all(
    agent.pipelines.map(async ({ id }) => ({
      id,
      records: await m.value('meshtail_pipeline_records_total', { pipeline: id }),
      parseErrors: await m.value('meshtail_pipeline_parse_error_records_total', { pipeline: id }),
      dropped: await m.value('meshtail_pipeline_dropped_records_total', { pipeline: id }),
    })),
  );
  const exporters = await Promise.all(
    [...config.exporters.keys()].map(async (id) => ({
      id,
      sent: await m.value('meshtail_exporter_sent_records_total', { exporter: id }),
      failed: await m.value('meshtail_exporter_failed_records_total', { exporter: id }),
      dropped: await m.value('meshtail_exporter_dropped_records_total', { exporter: id }),
      retries: await m.value('meshtail_exporter_retries_total', { exporter: id }),
    })),
  );
  // meshtail_processor_events_total{processor="redact", event=<entity>}: one per finding; the
  // `failed` event counts records held sealed, not findings.
  const masked = (await m.series('meshtail_processor_events_total', { processor: 'redact' }))
    .map((s) => ({ entity: s.labels.event ?? '', count: s.value }))
    .filter((e) => e.count > 0 && e.entity !== 'failed')
    .sort((a, b) => b.count - a.count || a.entity.localeCompare(b.entity));
  return {
    atMs: Date.now(),
    phase: simulator.phase,
    pods: simulator.pods,
    written: simulator.linesWritten,
    rotations: simulator.rotations,
    receivers,
    pipelines,
    exporters,
    pool: agent.pool.sample(),
    backfill,
    requests: requests.sample(),
    masked,
  };
}

/** `masked: query_secret 12 · ip 3,410`, or undefined before redact found anything. */
export function maskedText(s: DemoStats): string | undefined {
  if (s.masked.length === 0) return undefined;
  return `masked: ${s.masked.map((e) => `${e.entity} ${e.count.toLocaleString('en-US')}`).join(' · ')}`;
}

/** True while a backfill has bytes left to deliver. */
export function backfilling(s: DemoStats): boolean {
  return s.backfill.total > 0 && s.backfill.committed < s.backfill.total;
}

/** Per-second rate of a counter between two samples. */
export function ratePerSecond(now: number, before: number | undefined, dtMs: number): number {
  return before === undefined || dtMs <= 0 ? 0 : ((now - before) * 1000) / dtMs;
}
