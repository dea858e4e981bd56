import { describe, expect, it } from 'vitest';
import { runSuite } from '../../../support/anomaly-suite.ts';

describe('anomaly detectors on a labelled synthetic day', () => {
  it('reach recall >= 0.95, strict precision >= 0.9 and <= 1 false alert per quiet hour (24 seeded hours)', () => {
    const r = runSuite({ seed: 7, hours: 24, rate: 40 });
    for (const row of r.rows) {
      expect(row.injected, row.kind).toBeGreaterThanOrEqual(5);
      expect(row.recall, row.kind).toBeGreaterThanOrEqual(0.95);
      expect(row.precision, row.kind).toBeGreaterThanOrEqual(0.9);
    }
    expect(r.quietHours).toBeGreaterThanOrEqual(6);
    expect(r.falsePerQuietHour).toBeLessThanOrEqual(1);
  }, 120_000);
});
