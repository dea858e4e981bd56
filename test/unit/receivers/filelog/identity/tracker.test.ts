// The identity tracker driven directly, one poll at a time, with real files: the sequences that
// the rotation torture produced under load (a stale size judged after a read turn moved on, a
// copy admitted after its original was truncated again, generations with the same first KiB, a
// copy held while its original is busy in a long turn), each reproduced step by step.
import { Buffer } from 'node:buffer';
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { filelogConfig } from '../../../../../receivers/filelog/config.ts';
import { Tracker } from '../../../../../receivers/filelog/identity/tracker.ts';
import type { TrackedFile } from '../../../../../receivers/filelog/tracked-file.ts';
import { numbered, text } from '../harness.ts';

const HOLD_MS = 5000;
let dir: string;
let tracker: Tracker;
let truncated: string[];
let now: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshtail-tracker-'));
  truncated = [];
  now = 1_000_000;
  const c = filelogConfig.parse({ include: [join(dir, '*')], start_at: 'beginning' });
  tracker = new Tracker({ ...c, holdMs: HOLD_MS }, undefined, {
    rotated: () => {},
    truncated: (f, why) => truncated.push(`${f.path.slice(dir.length + 1)}: ${why}`),
    released: () => {},
    warnOnce: () => {},
    info: () => {},
    debug: () => {},
  });
});

afterEach(async () => {
  for (const f of tracker.live.values()) await tracker.close(f);
  rmSync(dir, { recursive: true, force: true });
});

function path(name: string): string {
  return join(dir, name);
}

/** One poll over these names, `ms` after the previous one. */
function poll(names: string[], ms = 200): Promise<void> {
  now += ms;
  return tracker.observe(new Set(names.map(path)), now, false);
}

function file(name: string): TrackedFile {
  const f = [...tracker.live.values()].find((x) => x.path === path(name));
  if (!f) throw new Error(`${name} is not tracked`);
  return f;
}

/** What a read turn does: reads from the offset to `end` and hands the bytes on (delivered at once). */
function read(f: TrackedFile, end = f.size): void {
  const data = Buffer.alloc(end - f.offset);
  readSync(f.fd!, data, 0, data.length, f.offset);
  f.acked.track(end, data)();
  f.offset = end;
}

/** logrotate's copytruncate: copy, then truncate; the writer goes on in the emptied file. */
function copytruncate(name: string, copy: string, next: string[]): void {
  copyFileSync(path(name), path(copy));
  truncateSync(path(name), 0);
  appendFileSync(path(name), text(next));
}

/**
 * Two files read to their ends, both grown, and a poll started over b then a: it stats both, then
 * reads b's first bytes (b grew) before it judges a. Were that read to yield (it did: an await),
 * whatever the caller does before awaiting the poll would happen between a's stat and its judgement.
 */
async function pollStartedOverTwoGrownFiles(): Promise<{ a: TrackedFile; polling: Promise<void> }> {
  writeFileSync(path('a.log'), text(numbered('a', 0, 100)));
  writeFileSync(path('b.log'), text(numbered('b', 0, 100)));
  await tracker.observe(new Set([path('b.log'), path('a.log')]), now, true);
  const a = file('a.log');
  read(a);
  read(file('b.log'));
  appendFileSync(path('b.log'), text(numbered('b', 100, 110)));
  appendFileSync(path('a.log'), text(numbered('a', 100, 110)));
  return { a, polling: poll(['b.log', 'a.log']) };
}

it('judges a truncation on the size of the file now, not on a poll stat a read turn has since overtaken', async () => {
  const { a, polling } = await pollStartedOverTwoGrownFiles();
  // The turn: it sees more of a (the recheck after a turn takes a fresh size) and reads it.
  appendFileSync(path('a.log'), text(numbered('a', 110, 150)));
  a.size = a.offset + text(numbered('a', 100, 150)).length;
  read(a);
  const offset = a.offset;
  await polling;
  expect(truncated).toEqual([]);
  expect(a.offset).toBe(offset);
});

it('takes the size a truncated file has when the truncation is judged, not the size the poll saw', async () => {
  const { a, polling } = await pollStartedOverTwoGrownFiles();
  // Truncated and written again, after the poll's stat of a; before its look at a's first bytes
  // while that poll could yield between the two.
  truncateSync(path('a.log'), 0);
  appendFileSync(path('a.log'), text(['n-0']));
  await polling;
  await poll(['b.log', 'a.log']);
  expect(truncated).toHaveLength(1);
  expect(a.offset).toBe(0);
  expect(a.size).toBe(text(['n-0']).length);
});

/**
 * Three generations of a.log, each read to its end and then copytruncate'd, twice before either
 * copy is listed (a slow poll, or a copy still being written): each copy has nothing left to read.
 */
async function truncatedTwiceBeforeTheCopies(gens: [string[], string[], string[]]): Promise<void> {
  writeFileSync(path('a.log'), text(gens[0]));
  await tracker.observe(new Set([path('a.log')]), now, true);
  read(file('a.log'));
  copytruncate('a.log', 'a.log.1', gens[1]);
  await poll(['a.log']);
  read(file('a.log'));
  copytruncate('a.log', 'a.log.2', gens[2]);
  await poll(['a.log']);
  expect(truncated).toEqual(['a.log: size below offset', 'a.log: size below offset']);
  await poll(['a.log', 'a.log.1', 'a.log.2']);
  expect(file('a.log.1').offset).toBe(text(gens[0]).length);
  expect(file('a.log.2').offset).toBe(text(gens[1]).length);
}

it('reads a copy from its own generation’s offset when the original was truncated again before the copy was admitted', async () => {
  await truncatedTwiceBeforeTheCopies([
    numbered('g1', 0, 300),
    numbered('g2', 0, 200),
    numbered('g3', 0, 10),
  ]);
});

it('tells generations with the same first KiB apart by the bytes before the offset', async () => {
  const header = 'h'.repeat(1100);
  await truncatedTwiceBeforeTheCopies([
    [header, ...numbered('a', 0, 100)],
    [header, ...numbered('b', 0, 20)],
    [header],
  ]);
});

it('holds a possible copy for as long as its original is busy in a read turn', async () => {
  const gen1 = text(numbered('g1', 0, 300));
  writeFileSync(path('a.log'), gen1);
  await tracker.observe(new Set([path('a.log')]), now, true);
  const a = file('a.log');
  read(a);
  // logrotate copies; the truncation follows while a read turn of the original is still waiting
  // on a full pipeline (backpressure), longer than the hold.
  copyFileSync(path('a.log'), path('a.log.1'));
  a.reading.turnStarted();
  await poll(['a.log', 'a.log.1']);
  truncateSync(path('a.log'), 0);
  appendFileSync(path('a.log'), text(numbered('g2', 0, 10)));
  await poll(['a.log', 'a.log.1'], HOLD_MS + 1000);
  expect(tracker.live.size).toBe(1);
  // The turn ends; the truncation is seen, then the copy is recognised.
  a.reading.turnEnded();
  await poll(['a.log', 'a.log.1']);
  await poll(['a.log', 'a.log.1']);
  expect(truncated).toEqual(['a.log: size below offset']);
  expect(file('a.log.1').offset).toBe(gen1.length);
});

it('lets go of a file admitted while empty once its first bytes show a gzip being written', async () => {
  writeFileSync(path('0.log.1.tmp'), '');
  await poll(['0.log.1.tmp']);
  await poll(['0.log.1.tmp']); // empty for a poll: admitted (a new 0.log starts out empty too)
  expect(file('0.log.1.tmp').size).toBe(0);
  appendFileSync(path('0.log.1.tmp'), gzipSync(text(numbered('z', 0, 1000))).subarray(0, 500));
  await poll(['0.log.1.tmp']);
  expect(tracker.live.size).toBe(0);
  await poll(['0.log.1.tmp']);
  expect(tracker.live.size).toBe(0);
});
