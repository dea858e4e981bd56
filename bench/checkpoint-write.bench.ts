// The filelog checkpoint's cost per write, as a node with 1000 busy files pays it once a second:
// every file's committed offset and tail moved since the last write, so each entry gets a new
// offset and a new tail digest. The store is in memory (no file, no fsync): this is the JSON the
// main thread builds. Prints ms per write, the minimum and median of the rounds. Results:
// bench/RESULTS.md. Run: node bench/checkpoint-write.bench.ts [--files 1000] [--rounds 7] [--writes 300]
import { Buffer } from 'node:buffer';
import { parseArgs } from 'node:util';
import type { CheckpointStore } from '../receivers/filelog/checkpoint/checkpoint.ts';
import { CheckpointWriter, EntryCache } from '../receivers/filelog/checkpoint/checkpoint-writer.ts';
import { OffsetTracker } from '../receivers/filelog/checkpoint/offset-tracker.ts';
import type { Tracker } from '../receivers/filelog/identity/tracker.ts';
import { machine } from './lib/proc-stats.ts';
import { git, round } from './lib/run-info.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '7' },
    writes: { type: 'string', default: '300' },
  },
});
const FILES = Number(values.files);
const ROUNDS = Number(values.rounds);
const WRITES = Number(values.writes);

let bytes = 0;
/**
 * What reaches the file. Before b2f3836 the writer handed the store string pieces that
 * the store joined and encoded before writing: done here the same way, so commits compare.
 */
function encoded(json: Uint8Array | string[]): Uint8Array {
  if (!Array.isArray(json)) return json;
  return Buffer.from(['{"version":2,"files":[', ...json, ']}'].join(''), 'utf8');
}
const store = {
  save(json: Uint8Array | string[]) {
    bytes += encoded(json).length;
  },
  saveAsync(json: Uint8Array | string[]) {
    bytes += encoded(json).length;
    return Promise.resolve();
  },
} as unknown as CheckpointStore;

const files = Array.from({ length: FILES }, (_, i) => ({
  key: `2049:${100_000 + i}`,
  path: `/var/log/pods/idle_pod-${i}_0000-uid-${i}/istio-proxy/0.log`,
  dev: 2049,
  ino: 100_000 + i,
  fp: Buffer.alloc(1024, i % 256),
  acked: new OffsetTracker(0),
  seenAt: Date.now(),
  goneSince: undefined,
  checkpointEntry: new EntryCache(),
}));
const tracker = {
  live: new Map(files.map((f) => [f.key, f])),
  released: new Map(),
  saved: new Map(),
  prune() {},
} as unknown as Tracker;
const writer = new CheckpointWriter(store, 3_600_000, (err) => {
  throw err;
});

let offset = 1_000_000;
const line = Buffer.alloc(150, 97);
/** Every file got one more line, delivered: its offset and tail move. */
function second(): void {
  offset += line.length;
  for (const f of files) f.acked.track(offset, line)();
}

let now = Date.now();
for (let i = 0; i < 300; i++) {
  second();
  writer.write(tracker, now++, false);
  await writer.idle();
}
const perRound: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let ms = 0;
  for (let i = 0; i < WRITES; i++) {
    second();
    const start = performance.now();
    writer.write(tracker, now++, false);
    ms += performance.now() - start;
    await writer.idle();
  }
  perRound.push(ms / WRITES);
}
perRound.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      ...machine(),
      commit: git('rev-parse', '--short', 'HEAD'),
      files: FILES,
      bytesPerWrite: Math.round(bytes / (300 + ROUNDS * WRITES)),
      msPerWriteMin: round(perRound[0]!, 3),
      msPerWriteMedian: round(perRound[Math.floor(perRound.length / 2)]!, 3),
    },
    null,
    2,
  ),
);
