// The main part saves its engine under service.data_dir at shutdown and loads it at start: a
// restarted processor keeps its baselines (a burst right after the restart is judged against the
// hour learned before it), where a fresh one has no history and cannot judge it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResourceLogs } from '../../../../agent/kit/record/record.ts';
import { anomalyFactory } from '../../../../processors/anomaly/factory.ts';
import { createProcessor } from '../../../../processors/anomaly/worker.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';
import { traffic } from '../../../support/mesh-traffic.ts';
import { testContext, testOutput } from '../../../support/processor-context.ts';
import { testSettings } from '../../exporters/test-settings.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2, 8, 0, 0);
const config = suiteConfig({ detectors: ['burst'] });
const burst = {
  kind: 'burst' as const,
  detects: ['burst'],
  keys: ['frontend→reviews'],
  start: START + 60 * MIN,
  end: START + 70 * MIN,
};
const minutes = [...traffic({ seed: 5, start: START, minutes: 75, rate: 40, injections: [burst] })];

async function feed(settings: ReturnType<typeof testSettings>, batches: ResourceLogs[]) {
  const output = testOutput();
  const main = anomalyFactory.createMain!(settings, config, undefined as never, output);
  await main.start();
  const ctx = testContext('anomaly');
  const process = createProcessor(config, ctx);
  for (const b of batches) {
    process(b);
    main.consumeAggregates!(ctx.emitted.splice(0), 'logs');
  }
  await main.shutdown();
  await main.shutdown(); // twice is safe
  return output.logs.flatMap((l) => l.records).map((r) => String(r.attributes['meshtail.anomaly.key']));
}

describe('anomaly state snapshots', () => {
  it('a restart keeps the baselines: the burst after it fires', async () => {
    const settings = testSettings('anomaly');
    expect(await feed(settings, minutes.slice(0, 60))).toEqual([]);
    expect(existsSync(join(settings.dataDir, 'anomaly', 'anomaly.json'))).toBe(true);
    const afterRestart = await feed(settings, minutes.slice(60));
    expect(afterRestart).toContain('frontend→reviews');
  });

  it('without the snapshot the same minutes have no history to judge against', async () => {
    expect(await feed(testSettings('anomaly'), minutes.slice(60))).toEqual([]);
  });
});
