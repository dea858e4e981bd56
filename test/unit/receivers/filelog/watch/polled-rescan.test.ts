// A polled directory (change-watch.ts) is stat'ed through its descriptor every second, which
// confirms its entries as a rescan by name would: its listing and its files' paths are not stat'ed
// by name every rescan_interval while those ticks confirm them; a watched directory's are.
import * as fs from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import {
  harness,
  numbered,
  numberedWriter,
  stopAll,
  until,
  writeEvery100ms,
  writeUntilPolled,
} from '../harness.ts';

vi.mock('node:fs', async (original) => {
  const real = await original<typeof fs>();
  return { ...real, statSync: vi.fn(real.statSync) };
});

afterEach(stopAll);

/** How many times each of `paths` was stat'ed by name since the last call. */
function statsOf(...paths: string[]): number[] {
  const calls = vi.mocked(fs.statSync).mock.calls;
  const counts = paths.map((p) => calls.filter((c) => c[0] === p).length);
  vi.mocked(fs.statSync).mockClear();
  return counts;
}

it('stats neither a polled directory nor its files by name at rescans, and a watched one’s again', async () => {
  // Ticks as often as the rescans come (busy_poll_interval above rescan_interval leaves the
  // rescans something to confirm between ticks).
  const h = harness({
    include: ['$LOGS/*.log'],
    start_at: 'beginning',
    rescan_interval: '1s',
    busy_poll_interval: '1s',
  });
  const path = join(h.logs, '0.log');
  const line = `l${'-'.repeat(60)}`;
  writeFileSync(path, '');
  await h.start();
  const w = numberedWriter(path, line);
  // Watched, with appends every 100 ms (until the directory is polled, bounded at 15 s): the
  // rescans stat the file and its directory by name once a second.
  statsOf();
  const polled = await writeUntilPolled(h, () => w.write(5));
  expect(polled).toBe(1);
  const [file, dir] = statsOf(path, h.logs);
  expect(file).toBeGreaterThan(0);
  expect(dir).toBeGreaterThan(0);
  // Polled: the switch itself is checked by name once; three more rescan intervals pass.
  await writeEvery100ms(10, () => w.write(5));
  statsOf();
  await writeEvery100ms(30, () => w.write(5));
  expect(await h.metrics.value('meshtail_receiver_directories_polled')).toBe(1);
  expect(statsOf(path, h.logs)).toEqual([0, 0]);
  expect(await until(() => h.got.length >= w.n)).toBe(true);
  expect(h.bodies()).toEqual(numbered(line, 0, w.n));
});
