// When inotify may have dropped notifications: a stall of the event loop longer than 250 ms, or
// shorter but long enough to fill half the queue at the rate of events seen, makes the receiver
// treat every watched directory as changed: the next poll lists and stats everything even with
// the periodic rescan an hour away.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ChangeWatch, stated, type Watched } from '../../../../../receivers/filelog/watch/change-watch.ts';
import { LostEventGuard } from '../../../../../receivers/filelog/watch/lost-events.ts';
import { fakeWatched, harness, numbered, pause, stopAll, text, until } from '../harness.ts';

afterEach(stopAll);

/** Keeps the thread busy: the event loop turns not at all for `ms`. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

it('counts a long stall whatever the rate, a short one only at a rate that could fill the queue', async () => {
  const guard = new LostEventGuard(Date.now(), 16384);
  try {
    await pause(100);
    guard.mayHaveLost(Date.now(), 0); // the window so far: start clean
    await pause(100);
    block(600);
    await pause(50); // the timer measures the block on its next tick
    expect(guard.mayHaveLost(Date.now(), 0)).toBe(true);

    await pause(100);
    block(150);
    await pause(50);
    expect(guard.mayHaveLost(Date.now(), 10)).toBe(false); // 10 events in ~300 ms: no risk

    await pause(100);
    block(250); // longer than the clock's period: a tick falls within it
    await pause(50);
    // 60,000 events in ~400 ms: half the queue fills in about 55 ms, and the loop stood 250 ms.
    expect(guard.mayHaveLost(Date.now(), 60_000)).toBe(true);

    await pause(100);
    expect(guard.mayHaveLost(Date.now(), 0)).toBe(false); // the loop turned freely since
  } finally {
    guard.close();
  }
});

it('suspectAll marks every watched file and moves every directory version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-lost-'));
  const w = new ChangeWatch(() => {});
  try {
    const files: (Watched & { path: string })[] = ['a.log', 'b.log'].map((n) => {
      writeFileSync(join(dir, n), 'x\n');
      return fakeWatched(join(dir, n));
    });
    for (const f of files) w.add(f);
    for (const f of files) stated(f);
    const v = w.version;
    const dv = w.versionOf(dir)!;
    w.suspectAll();
    expect(files.map((f) => [f.dirty, f.pathDirty])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(w.version).toBeGreaterThan(v);
    expect(w.versionOf(dir)).toBeGreaterThan(dv);
  } finally {
    w.close();
  }
});

it('a stalled receiver rescans every watched directory once, and keeps reading', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning', rescan_interval: '1h' });
  const path = join(h.logs, '0.log');
  writeFileSync(path, text(numbered('s', 0, 10)));
  await h.start();
  expect(await until(() => h.got.length >= 10)).toBe(true);
  expect(await h.metrics.value('meshtail_receiver_stall_rescans_total')).toBe(0);
  block(600); // past the 250 ms that always count, with the clock's 200 ms period on top
  expect(await until(async () => (await h.metrics.value('meshtail_receiver_stall_rescans_total')) >= 1)).toBe(
    true,
  );
  appendFileSync(path, text(numbered('s', 10, 20)));
  expect(await until(() => h.got.length >= 20)).toBe(true);
  expect(h.bodies()).toEqual(numbered('s', 0, 20));
});
