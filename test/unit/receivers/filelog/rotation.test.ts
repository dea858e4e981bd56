import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, numbered, pause, stopAll, text, until } from './harness.ts';

afterEach(stopAll);

describe.each([
  ['only the live name matched', '$LOGS/0.log'],
  ['rotated names matched too', '$LOGS/0.log*'],
])('rename + create rotation (%s)', (_name, include) => {
  it('reads the lines written before, between and after, each once', async () => {
    const h = harness({ include: [include], start_at: 'beginning' });
    const path = join(h.logs, '0.log');
    writeFileSync(path, text(numbered('l', 0, 100)));
    await h.start();
    expect(await until(() => h.got.length >= 100)).toBe(true);
    appendFileSync(path, text(numbered('l', 100, 150))); // written just before the rotation
    renameSync(path, join(h.logs, '0.log.20261120-101500'));
    writeFileSync(path, text(numbered('l', 150, 200)));
    expect(await until(() => h.got.length >= 200)).toBe(true);
    await pause(300);
    expect(h.bodies().sort()).toEqual(numbered('l', 0, 200).sort());
    // With rotated names matched, the renamed file may be seen as gone for a poll before its new
    // name is listed (the walk is reused for up to a second): counted once, never read twice.
    const rotations = await h.metrics.value('meshtail_receiver_rotations_total');
    if (include.endsWith('*')) expect(rotations).toBeLessThanOrEqual(1);
    else expect(rotations).toBe(1);
    expect(await h.metrics.value('meshtail_receiver_files_given_up_total')).toBe(0);
  });
});

it('reads a file deleted while it is being read to its end', async () => {
  const h = harness(
    { include: ['$LOGS/*.log'], start_at: 'beginning', read_buffer_size: '4KiB' },
    { delayMs: 2 },
  );
  const path = join(h.logs, 'gone.log');
  const all = numbered('d', 0, 20_000);
  writeFileSync(path, text(all));
  await h.start();
  expect(await until(() => h.got.length > 0)).toBe(true);
  unlinkSync(path);
  expect(h.got.length).toBeLessThan(all.length);
  expect(await until(() => h.got.length >= all.length)).toBe(true);
  await pause(100);
  expect(h.bodies()).toEqual(all);
  expect(await h.metrics.value('meshtail_receiver_files_given_up_total')).toBe(0);
});

describe('copytruncate', () => {
  it('recognises the copy matched by include by its fingerprint and reads it from the saved offset', async () => {
    const h = harness({ include: ['$LOGS/app.log*'], start_at: 'beginning' });
    const path = join(h.logs, 'app.log');
    writeFileSync(path, text(numbered('c', 0, 100)));
    await h.start();
    expect(await until(() => h.got.length >= 100)).toBe(true);
    appendFileSync(path, text(numbered('c', 100, 120))); // maybe read before the copy, maybe from it
    copyFileSync(path, join(h.logs, 'app.log.1'));
    truncateSync(path, 0);
    appendFileSync(path, text(numbered('c', 120, 150)));
    expect(await until(() => h.got.length >= 150)).toBe(true);
    await pause(1500); // longer than the copy hold
    expect(h.bodies().sort()).toEqual(numbered('c', 0, 150).sort());
  });

  it('reads the truncated file again from the start when the copy is not matched', async () => {
    const h = harness({ include: ['$LOGS/app.log'], start_at: 'beginning' });
    const path = join(h.logs, 'app.log');
    writeFileSync(path, text(numbered('c', 0, 100)));
    await h.start();
    expect(await until(() => h.got.length >= 100)).toBe(true);
    copyFileSync(path, join(h.logs, 'app.log.1'));
    truncateSync(path, 0);
    appendFileSync(path, text(numbered('c', 100, 150)));
    expect(await until(() => h.got.length >= 150)).toBe(true);
    await pause(200);
    expect(h.bodies()).toEqual(numbered('c', 0, 150));
    expect(await h.metrics.value('meshtail_receiver_truncations_total')).toBe(1);
  });
});

it('never reads a gzipped rotation', async () => {
  const h = harness({ include: ['$LOGS/0.log*'], start_at: 'beginning' });
  const path = join(h.logs, '0.log');
  writeFileSync(path, text(numbered('g', 0, 100)));
  await h.start();
  expect(await until(() => h.got.length >= 100)).toBe(true);
  const rotated = join(h.logs, '0.log.20261120-101500');
  renameSync(path, rotated);
  writeFileSync(path, text(numbered('g', 100, 110)));
  expect(await until(() => h.got.length >= 110)).toBe(true);
  await pause(100);
  writeFileSync(`${rotated}.gz`, gzipSync(readFileSync(rotated)));
  unlinkSync(rotated);
  appendFileSync(path, text(['g-110']));
  expect(await until(() => h.got.length >= 111)).toBe(true);
  await pause(300);
  expect(h.bodies()).toEqual(numbered('g', 0, 111));
});

describe('truncation', () => {
  it.each([
    ['read_whole', ['t-0', 't-1', 't-2', 'n-0', 'n-1', 'later']],
    ['read_new', ['t-0', 't-1', 't-2', 'later']],
    ['ignore', ['t-0', 't-1', 't-2']],
  ])('on_truncate: %s', async (mode, want) => {
    const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning', on_truncate: mode });
    const path = join(h.logs, 'a.log');
    writeFileSync(path, text(numbered('t', 0, 3)));
    await h.start();
    expect(await until(() => h.got.length >= 3)).toBe(true);
    writeFileSync(path, text(['n-0', 'n-1']));
    await pause(300); // the truncation is seen before anything is appended
    appendFileSync(path, text(['later']));
    await until(() => h.got.length >= want.length, 2000);
    await pause(200);
    expect(h.bodies()).toEqual(want);
    expect(await h.metrics.value('meshtail_receiver_truncations_total')).toBe(1);
  });

  it('sees a truncation written past the offset between two polls, first KiB unchanged, by the bytes before the offset', async () => {
    const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
    const path = join(h.logs, 'a.log');
    const header = 'h'.repeat(1100);
    writeFileSync(path, text([header, ...numbered('a', 0, 50)]));
    await h.start();
    expect(await until(() => h.got.length >= 51)).toBe(true);
    // In one go, as a poll or a read turn would find it late: emptied, then written past the offset.
    truncateSync(path, 0);
    appendFileSync(path, text([header, ...numbered('b', 0, 100)]));
    expect(await until(() => h.got.length >= 152)).toBe(true);
    await pause(200);
    expect(h.bodies()).toEqual([header, ...numbered('a', 0, 50), header, ...numbered('b', 0, 100)]);
    expect(await h.metrics.value('meshtail_receiver_truncations_total')).toBe(1);
  });
});
