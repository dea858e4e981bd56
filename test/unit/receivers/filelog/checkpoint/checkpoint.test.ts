import { appendFileSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { digest } from '../../../../../receivers/filelog/identity/fingerprint.ts';
import { harness, numbered, pause, stopAll, text, until } from '../harness.ts';

afterEach(stopAll);

const checkpointFile = (dir: string) => join(dir, 'state', 'receivers', 'filelog', 'checkpoints.json');
const saved = (dir: string) =>
  JSON.parse(readFileSync(checkpointFile(dir), 'utf8')).files as Record<string, unknown>[];

it('start_at: end skips what files held at the first start, not files that appear later', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'end' });
  const old = join(h.logs, 'old.log');
  writeFileSync(old, text(numbered('before', 0, 10)));
  await h.start();
  appendFileSync(old, text(['after-0']));
  writeFileSync(join(h.logs, 'new.log'), text(['later-0', 'later-1']));
  expect(await until(() => h.got.length >= 3)).toBe(true);
  await pause(150);
  expect(h.bodies().sort()).toEqual(['after-0', 'later-0', 'later-1']);
});

it('resumes after a clean shutdown without loss or duplicate, checking the bytes before the offset', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' }, { delayMs: 3 });
  const path = join(h.logs, 'a.log');
  writeFileSync(path, text(numbered('first', 0, 5000)));
  await h.start();
  expect(await until(() => h.got.length > 0)).toBe(true);
  await h.stop();
  expect(h.got.length).toBe(5000);
  const [entry] = saved(h.dir);
  expect(entry!.offset).toBe(statSync(path).size);
  expect(entry!.fingerprint).toMatchObject({ size: 1024 });
  expect(entry!.tail).toMatchObject({ size: 1024 });

  appendFileSync(path, text(['second-0', 'second-1']));
  const again = h.restart({ include: ['$LOGS/*.log'], start_at: 'end' });
  await again.start();
  expect(await until(() => again.got.length >= 5002)).toBe(true);
  await pause(150);
  expect(again.bodies().slice(5000)).toEqual(['second-0', 'second-1']);
  expect(again.got.length).toBe(5002);
});

it('prunes checkpoint entries of files gone longer than checkpoint_retention', async () => {
  const dir = harness({ include: ['$LOGS/*.log'] }).dir;
  mkdirSync(join(dir, 'state', 'receivers', 'filelog'), { recursive: true });
  // An entry for a file that is gone, last seen long ago.
  writeFileSync(
    checkpointFile(dir),
    JSON.stringify({ version: 2, files: [{ path: '/nowhere.log', dev: 1, ino: 2, offset: 5, seen_at: 1 }] }),
  );
  const h = harness(
    { include: ['$LOGS/*.log'], start_at: 'beginning', checkpoint_retention: '300ms' },
    { dir },
  );
  const path = join(h.logs, 'a.log');
  writeFileSync(path, text(['x']));
  await h.start();
  expect(await until(() => h.got.length >= 1)).toBe(true);
  // The old entry is pruned by the first checkpoint write; the live file's entry stays.
  expect(await until(() => saved(dir).length === 1 && saved(dir)[0]!.path === path)).toBe(true);
  unlinkSync(path);
  // Gone: kept for checkpoint_retention, then dropped.
  expect(await until(() => saved(dir).length === 0)).toBe(true);
  // The gauge follows at the next poll.
  expect(await until(async () => (await h.metrics.value('meshtail_receiver_files_tracked')) === 0)).toBe(
    true,
  );
});

it('reports backfill progress over the files present at start', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  writeFileSync(join(h.logs, 'a.log'), text(numbered('a', 0, 1000)));
  writeFileSync(join(h.logs, 'b.log'), text(numbered('b', 0, 1000)));
  await h.start();
  const total = statSync(join(h.logs, 'a.log')).size + statSync(join(h.logs, 'b.log')).size;
  expect(h.receiver.backfillProgress().total).toBe(total);
  expect(await until(() => h.receiver.backfillProgress().committed === total)).toBe(true);
  await pause(100); // a checkpoint publishes the gauges
  expect(await h.metrics.value('meshtail_receiver_backfill_target_bytes')).toBe(total);
  expect(await h.metrics.value('meshtail_receiver_backfill_committed_bytes')).toBe(total);
});

it("writes each entry's identity, offset and digests as the bytes of the file say, whatever the path", async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  // A path that JSON must escape and that is not ASCII.
  const path = join(h.logs, 'pod "ä" \\ 日本.log');
  const lines = numbered('line', 0, 300);
  writeFileSync(path, text(lines));
  await h.start();
  expect(await until(() => h.got.length >= 300)).toBe(true);
  await h.stop();
  const bytes = readFileSync(path);
  const st = statSync(path);
  const [entry] = saved(h.dir);
  expect(entry).toEqual({
    path,
    dev: st.dev,
    ino: st.ino,
    fingerprint: digest(bytes.subarray(0, 1024)),
    offset: bytes.length,
    tail: digest(bytes.subarray(bytes.length - 1024)),
    seen_at: expect.any(Number),
  });
  expect(Math.abs((entry!.seen_at as number) - Date.now())).toBeLessThan(60_000);
});
