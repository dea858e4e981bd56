import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../../../agent/kit/retry/backoff.ts';
import { retryOnFailureSchema } from '../../../../../agent/kit/retry/retry-config.ts';

const config = retryOnFailureSchema.parse({});

describe('retry_on_failure', () => {
  it("has the Collector's defaults", () => {
    expect(config).toEqual({
      enabled: true,
      initial_interval: 5000,
      randomization_factor: 0.5,
      multiplier: 1.5,
      max_interval: 30_000,
      max_elapsed_time: 300_000,
    });
  });
});

describe('Backoff', () => {
  it('grows by the multiplier up to max_interval (no jitter at random = 0.5)', () => {
    const clock = 0;
    const b = new Backoff(
      config,
      () => clock,
      () => 0.5,
    );
    const waits = Array.from({ length: 8 }, () => b.next());
    expect(waits).toEqual([5000, 7500, 11250, 16875, 25313, 30000, 30000, 30000]);
  });

  it('draws within interval × [1 − f, 1 + f]', () => {
    expect(
      new Backoff(
        config,
        () => 0,
        () => 0,
      ).next(),
    ).toBe(2500);
    expect(
      new Backoff(
        config,
        () => 0,
        () => 1,
      ).next(),
    ).toBe(7500);
  });

  it('gives up when the next wait would end past max_elapsed_time', () => {
    let clock = 0;
    const b = new Backoff(
      config,
      () => clock,
      () => 0.5,
    );
    clock = 290_000;
    expect(b.next()).toBe(5000);
    clock = 296_000;
    expect(b.next()).toBeUndefined();
  });

  it('retries forever when max_elapsed_time is 0', () => {
    let clock = 0;
    const b = new Backoff(
      { ...config, max_elapsed_time: 0 },
      () => clock,
      () => 0.5,
    );
    clock = 10 * 86_400_000;
    expect(b.next()).toBe(5000);
  });

  it("uses the server's delay in place of the computed one, still bounded by max_elapsed_time", () => {
    let clock = 0;
    const b = new Backoff(
      config,
      () => clock,
      () => 0.5,
    );
    expect(b.next(120_000)).toBe(120_000);
    expect(b.next(0)).toBe(0);
    clock = 100_000;
    expect(b.next(600_000)).toBeUndefined();
  });
});
