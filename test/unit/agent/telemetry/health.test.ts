// /readyz and /healthz decisions: an exporter that retries without delivering is a failure once it
// lasts the threshold, and a delivery clears it; a full sending queue is not ready; a main-thread
// stall past its threshold fails liveness for that long; stopped pipelines fail both.
import { afterEach, describe, expect, it } from 'vitest';
import { Health } from '../../../../agent/telemetry/health.ts';
import { SelfMetrics } from '../../../../agent/telemetry/self-metrics.ts';

const healths: Health[] = [];
afterEach(() => {
  for (const h of healths.splice(0)) h.stop();
});

function setup(state = { ready: true, live: true }) {
  const metrics = new SelfMetrics();
  const sent = metrics.counter('meshtail_exporter_sent_records_total', 'sent', ['exporter']);
  const retries = metrics.counter('meshtail_exporter_retries_total', 'retries', ['exporter']);
  const size = metrics.gauge('meshtail_exporter_queue_size', 'size', ['exporter']);
  const capacity = metrics.gauge('meshtail_exporter_queue_capacity', 'capacity', ['exporter']);
  capacity.set({ exporter: 'otlp' }, 10);
  size.set({ exporter: 'otlp' }, 0);
  const health = new Health({
    metrics,
    exporters: () => ['otlp'],
    ready: () => state.ready,
    live: () => state.live,
    exporterFailureMs: 1000,
    stallMs: 1000,
  });
  healths.push(health);
  return { health, sent, retries, size, state };
}

describe('Health', () => {
  it('is not ready once an exporter has failed for the threshold, and ready after a delivery', async () => {
    const { health, sent, retries } = setup();
    expect((await health.readiness(0)).ok).toBe(true);
    retries.inc({ exporter: 'otlp' });
    expect((await health.readiness(100)).ok).toBe(true); // failing since 100, under the threshold
    expect((await health.readiness(900)).ok).toBe(true);
    const down = await health.readiness(1100);
    expect(down.ok).toBe(false);
    expect(down.reasons.join()).toContain('exporter otlp has failed');
    sent.inc({ exporter: 'otlp' }, 5);
    expect((await health.readiness(1200)).ok).toBe(true);
  });

  it('is not ready while a sending queue is full or the pipelines are not running', async () => {
    const { health, size, state } = setup();
    size.set({ exporter: 'otlp' }, 10);
    expect((await health.readiness(0)).reasons).toEqual(['exporter otlp: sending queue full']);
    size.set({ exporter: 'otlp' }, 3);
    state.ready = false;
    expect((await health.readiness(0)).ok).toBe(false);
  });

  it('fails liveness after a main-thread stall and when the pipelines stopped', async () => {
    const { health, state } = setup();
    await new Promise((r) => setTimeout(r, 250));
    expect(health.liveness().ok).toBe(true);
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      // A synchronous stall, as a blocking fsync or a long GC would be.
    }
    // The loop clock's next tick sees the gap.
    let stalled = health.liveness();
    for (let i = 0; i < 100 && stalled.ok; i++) {
      await new Promise((r) => setTimeout(r, 10));
      stalled = health.liveness();
    }
    expect(stalled.ok).toBe(false);
    expect(stalled.reasons.join()).toContain('stalled');
    expect(health.liveness(performance.now() + 2000).ok).toBe(true);
    state.live = false;
    expect(health.liveness(performance.now() + 2000).ok).toBe(false);
  });
});
