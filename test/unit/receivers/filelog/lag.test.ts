// The per-file lag gauge (size − committed offset) is set when it is read (a scrape), not on every
// poll: it must still show unacknowledged bytes, fall to 0 once they are delivered, and lose the
// series of a file that was let go.
import { statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { harness, numbered, stopAll, text, until } from './harness.ts';

afterEach(stopAll);

const LAG = 'meshtail_receiver_file_lag_bytes';

it('reports each file lag at a scrape: unacknowledged bytes, then 0, then no series once let go', async () => {
  let release: () => void = () => {};
  const acked = new Promise<void>((r) => {
    release = r;
  });
  const h = harness(
    { include: ['$LOGS/*.log'], start_at: 'beginning', rotate_wait: '200ms' },
    { ack: () => acked },
  );
  const a = join(h.logs, 'a.log');
  const b = join(h.logs, 'b.log');
  writeFileSync(a, text(numbered('a', 0, 30)));
  writeFileSync(b, text(numbered('b', 0, 70)));
  await h.start();
  expect(await until(() => h.got.length >= 100)).toBe(true);

  // Read but not acknowledged: each file's whole size is its lag.
  expect(await h.metrics.value(LAG, { path: a })).toBe(statSync(a).size);
  expect(await h.metrics.value(LAG, { path: b })).toBe(statSync(b).size);

  release();
  expect(await until(async () => (await h.metrics.value(LAG)) === 0)).toBe(true);
  const series = async () => (await h.metrics.registry.getSingleMetric(LAG)!.get()).values;
  expect((await series()).map((v) => v.labels.path).sort()).toEqual([a, b]);

  unlinkSync(a); // let go after rotate_wait: its series goes at the next scrape
  expect(await until(async () => (await series()).length === 1)).toBe(true);
  expect((await series())[0]!.labels.path).toBe(b);
});
