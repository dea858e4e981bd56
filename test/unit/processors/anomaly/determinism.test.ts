// The verdict is a function of the records alone: the labelled day through one worker and through
// four (aggregates returned out of order, as the pool returns them), cut into batches from 1 to
// 10,000 records, gives byte-identical anomaly events. Late data beyond allowed_lateness is counted.
import { describe, expect, it } from 'vitest';
import type { ResourceLogs } from '../../../../agent/kit/record/record.ts';
import { replay } from '../../../support/anomaly-replay.ts';
import { suiteConfig, suiteInjections, suiteTraffic } from '../../../support/anomaly-suite.ts';

const DAY = { seed: 7, hours: 24, rate: 40 };

function day(lateness = 0) {
  const config = suiteConfig({ allowed_lateness: lateness });
  const injections = suiteInjections(DAY, config);
  return { config, input: () => suiteTraffic(DAY, injections) };
}

describe('anomaly verdicts are a function of the records', () => {
  it('one worker: batches of 1 to 10,000 records give byte-identical events', () => {
    const { config, input } = day();
    const reference = replay(input(), config, { batchSize: 1000, workers: 1 });
    expect(reference.events.length).toBeGreaterThan(20);
    expect(reference.lateRecords).toBe(0);
    for (const batchSize of [1, 7, 10_000]) {
      const r = replay(input(), config, { batchSize, workers: 1 });
      expect(r.events.join('\n'), `batch ${batchSize}`).toBe(reference.events.join('\n'));
    }
  }, 300_000);

  it('four workers returning out of order, within allowed_lateness: the same events as one worker', () => {
    const inOrder = day();
    const reference = replay(inOrder.input(), inOrder.config, { batchSize: 1000, workers: 1 });
    // 16 batches out at once of up to 10,000 records: hours of event time at night's rate.
    const { config, input } = day(12 * 3_600_000);
    for (const batchSize of [10, 10_000]) {
      const r = replay(input(), config, { batchSize, workers: 4, seed: batchSize });
      expect(r.lateRecords, `batch ${batchSize}`).toBe(0);
      expect(r.events.join('\n'), `batch ${batchSize}`).toBe(reference.events.join('\n'));
    }
  }, 300_000);

  it('records behind allowed_lateness are counted as late, not merged, the same in any batch cut', () => {
    const { config } = day(60_000);
    // Two hours of traffic, then a straggler file: ten minutes from the first hour, read last.
    const minutes = [...suiteTraffic({ ...DAY, hours: 2 }, [])];
    const stragglers: ResourceLogs = {
      resource: {},
      scope: { name: 'straggler' },
      records: minutes.slice(10, 20).flatMap((m) => m.records),
    };
    const input = [...minutes, stragglers];
    const counts = [1, 100, 5000].map((batchSize) => replay(input, config, { batchSize, workers: 1 }));
    expect(stragglers.records.length).toBeGreaterThan(1000);
    for (const r of counts) expect(r.lateRecords).toBe(stragglers.records.length);
    expect(counts[1]?.events).toEqual(counts[0]?.events);
    expect(counts[2]?.events).toEqual(counts[0]?.events);
  }, 120_000);
});
