import { describe, expect, it } from 'vitest';
import { runSuite } from '../../../support/anomaly-suite.ts';

describe('anomaly detectors on a labelled synthetic day', () => {
  it('reach recall >= 0.95 with <= 1 false alert per quiet hour (8 seeded hours)', () => {
    const r = runSuite({ seed: 7, hours: 8, rate: 40 });
    for (const row of r.rows) expect(row.recall, row.kind).toBeGreaterThanOrEqual(0.95);
    expect(r.quietHours).toBeGreaterThan(0);
    expect(r.falsePerQuietHour).toBeLessThanOrEqual(1);
  }, 60_000);
});
