import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { harness, pause, stopAll, until } from '../harness.ts';

afterEach(stopAll);

it('cuts a 50 MiB line at max_line_size, marks it, skips the rest and reads on with bounded batches', async () => {
  const abs = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  const path = join(abs.logs, 'big.log');
  writeFileSync(path, 'before\n');
  const chunk = 'x'.repeat(10 * 1024 * 1024);
  appendFileSync(path, chunk); // no newline yet: the line is still being written
  await abs.start();
  expect(await until(() => abs.got.length >= 2)).toBe(true);
  for (let i = 0; i < 4; i++) appendFileSync(path, chunk);
  appendFileSync(path, '\nafter-1\nafter-2\n');
  expect(await until(() => abs.got.length >= 4)).toBe(true);
  await pause(100);
  const bodies = abs.bodies();
  expect(bodies.length).toBe(4);
  expect(bodies[0]).toBe('before');
  expect(bodies[1]!.length).toBe(1024 * 1024);
  expect(abs.got[1]!.attributes['meshtail.log.truncated']).toBe(true);
  expect(bodies.slice(2)).toEqual(['after-1', 'after-2']);
  expect(abs.got[2]!.attributes['meshtail.log.truncated']).toBeUndefined();
  // Memory stays bounded: no batch is larger than max_line_size plus its newline.
  for (const b of abs.batches) expect(b.data.length).toBeLessThanOrEqual(1024 * 1024 + 1);
  expect(await abs.metrics.value('meshtail_receiver_truncated_lines_total')).toBe(1);
});
