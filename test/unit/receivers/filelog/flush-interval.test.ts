// flush_interval: small reads of many files wait to be joined into one batch for up to that long,
// a full batch goes at once, and shutdown sends what still waits.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { harness, numbered, pause, stopAll, text, until } from './harness.ts';

afterEach(stopAll);

it('joins the reads of many passes into one batch per flush_interval', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning', flush_interval: '400ms' });
  const paths = Array.from({ length: 10 }, (_, i) => join(h.logs, `f${i}.log`));
  for (const p of paths) writeFileSync(p, '');
  await h.start();
  const started = Date.now();
  // 20 rounds, 50 ms apart: with a 20 ms poll, about 40 passes see new bytes.
  for (let round = 0; round < 20; round++) {
    for (const [i, p] of paths.entries()) appendFileSync(p, text([`f${i}-${round}`]));
    await pause(50);
  }
  expect(await until(() => h.got.length >= 200)).toBe(true);
  const elapsed = Date.now() - started;
  // One batch per flush_interval (and one more for the last reads), not one per pass.
  expect(h.batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1);
  expect(h.batches.length).toBeGreaterThanOrEqual(2);
  for (const [i] of paths.entries())
    expect(h.bodies().filter((b) => b.startsWith(`f${i}-`))).toEqual(numbered(`f${i}`, 0, 20));
});

it('sends a joined batch as soon as it is full, whatever flush_interval says', async () => {
  const h = harness({
    include: ['$LOGS/*.log'],
    start_at: 'beginning',
    flush_interval: '1h',
    read_buffer_size: '4KiB', // a joined batch holds 4 KiB; a read of up to 1 KiB joins
  });
  for (let i = 0; i < 40; i++) writeFileSync(join(h.logs, `f${i}.log`), text(numbered(`f${i}`, 0, 20)));
  await h.start();
  // 40 files × ~180 bytes do not fit one 4 KiB batch: the full ones go without waiting an hour.
  expect(await until(() => h.got.length > 0, 5000)).toBe(true);
  await pause(300); // every file read by now; the last, partial batch still waits
  expect(h.got.length).toBeLessThan(800);
  // Shutdown sends what was read and still waits; a restart reads the rest: every line once.
  await h.stop();
  const again = h.restart();
  await again.start();
  expect(await until(() => h.got.length >= 800)).toBe(true);
  await pause(100);
  const all = Array.from({ length: 40 }, (_, i) => numbered(`f${i}`, 0, 20)).flat();
  expect(h.bodies().sort()).toEqual(all.sort());
});
