import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { harness, numbered, stopAll, text, until } from './harness.ts';

afterEach(stopAll);

it("delivers 50 quiet files' lines while a hot file's backlog is still being read", async () => {
  const h = harness(
    {
      include: ['$LOGS/*.log'],
      start_at: 'beginning',
      read_buffer_size: '64KiB',
      max_read_per_turn: '128KiB',
    },
    { delayMs: 1 },
  );
  const hot = numbered('hot', 0, 400_000); // ~4.5 MiB
  writeFileSync(join(h.logs, 'hot.log'), text(hot));
  for (let i = 0; i < 50; i++) writeFileSync(join(h.logs, `quiet-${i}.log`), text([`quiet-${i}`]));
  await h.start();
  let hotWhenQuietDone = -1;
  let seen = 0;
  let quiet = 0;
  expect(
    await until(() => {
      for (; seen < h.got.length; seen++) if (h.got[seen]!.body.startsWith('quiet-')) quiet++;
      if (quiet === 50 && hotWhenQuietDone < 0) hotWhenQuietDone = seen - 50;
      return seen >= hot.length + 50;
    }, 60_000),
  ).toBe(true);
  expect(hotWhenQuietDone).toBeGreaterThanOrEqual(0);
  expect(hotWhenQuietDone).toBeLessThan(hot.length / 2);
  expect(h.bodies().filter((b) => b.startsWith('hot-'))).toEqual(hot);
});
