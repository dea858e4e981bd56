// readLines checks, with the data, that the file still holds what is known of it (the last bytes
// read before the offset, else its first bytes): a generation written over the one being read —
// copytruncate while the reader was slow — is reported as 'moved', never read as the old one.
import { Buffer } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../../../../receivers/filelog/checkpoint/offset-tracker.ts';
import { type Known, readLines, readLinesSync } from '../../../../../receivers/filelog/read/file-reader.ts';
import { numbered, text } from '../harness.ts';

let dir: string;
let path: string;
let fd: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshtail-reader-'));
  path = join(dir, 'a.log');
  writeFileSync(path, text(numbered('a', 0, 2000)));
  fd = openSync(path, 'r');
});

afterEach(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** What a reader knew before the file was rewritten: `n` bytes at `at` of the first generation. */
function known(at: number, n: number): Known {
  return { at, bytes: Buffer.from(readFileSync(path).subarray(at, at + n)) };
}

/** copytruncate, and the writer goes on past where the reader was. */
function rewrite(): number {
  truncateSync(path, 0);
  writeFileSync(path, text(numbered('b', 0, 3000)));
  return readFileSync(path).length;
}

const READ = 64 * 1024;

/** What is known, at which offset: in the same preadv as the data, or read again after it. */
const CASES: [string, number, (offset: number) => Known][] = [
  ['the last bytes read, just before the offset', 5000, (o) => known(o - 1024, 1024)],
  ['the first bytes, at offset 0', 0, () => known(0, 1024)],
  ['the first bytes, a little way in', 300, () => known(0, 1024)],
  ['the first bytes, far from the offset', 10_000, () => known(0, 1024)],
];

it.each(CASES)('reads on while the file holds %s', async (_what, offset, k) => {
  const size = readFileSync(path).length;
  const r = await readLines(fd, offset, size, READ, 1 << 20, k(offset));
  expect(r.kind).toBe('lines');
  if (r.kind !== 'lines') return;
  expect(Buffer.from(r.data).toString()).toBe(readFileSync(path).subarray(offset, r.end).toString());
});

it.each(CASES)('reports a file rewritten past the offset as moved, by %s', async (_what, offset, k) => {
  const before = k(offset);
  const size = rewrite();
  expect(await readLines(fd, offset, size, READ, 1 << 20, before)).toEqual({ kind: 'moved' });
});

it('reports a file now shorter than the known bytes as moved', async () => {
  const before = known(5000 - 64, 64);
  truncateSync(path, 100);
  expect(await readLines(fd, 5000, 20_000, READ, 1 << 20, before)).toEqual({ kind: 'moved' });
});

it('tells generations of lines padded to one length apart by the last bytes read', async () => {
  // Lines of one length that end alike (padding, or the same last fields): the next generation has
  // the same bytes at the end of each line, at the same offsets.
  const line = (g: string, i: number) => `${g} ${i} `.padEnd(140, 'x');
  writeFileSync(path, text(Array.from({ length: 100 }, (_, i) => line('a', i))));
  const offset = 50 * 141;
  const read = new OffsetTracker(0);
  read.track(offset, readFileSync(path).subarray(0, offset));
  const last = read.lastRead!;
  truncateSync(path, 0);
  writeFileSync(path, text(Array.from({ length: 100 }, (_, i) => line('b', i))));
  const k = { at: last.end - last.tail.length, bytes: last.tail };
  expect(await readLines(fd, offset, 100 * 141, READ, 1 << 20, k)).toEqual({ kind: 'moved' });
});

describe('readLinesSync (a few bytes appended to a live file)', () => {
  const tail = (size: number) => known(size - 1024, 1024);

  it('reads whole lines up to the last newline, the same as readLines', async () => {
    const offset = readFileSync(path).length;
    const k = tail(offset);
    writeFileSync(path, 'x1\nx2\npart', { flag: 'a' });
    const size = readFileSync(path).length;
    const sync = readLinesSync(fd, offset, size, k);
    const async = await readLines(fd, offset, size, READ, 1 << 20, k);
    expect(sync?.kind).toBe('lines');
    if (sync?.kind !== 'lines' || async.kind !== 'lines') return;
    expect(Buffer.from(sync.data).toString()).toBe('x1\nx2\n');
    expect(sync.end).toBe(async.end);
    expect(sync.end).toBe(offset + 6);
  });

  it('gives none for a last line without its newline', () => {
    const offset = readFileSync(path).length;
    writeFileSync(path, 'no newline yet', { flag: 'a' });
    expect(readLinesSync(fd, offset, readFileSync(path).length, tail(offset))).toEqual({ kind: 'none' });
  });

  it('reports a file truncated and written again past the offset as moved', () => {
    const offset = readFileSync(path).length;
    const k = tail(offset);
    const size = rewrite();
    expect(readLinesSync(fd, offset, size, k)).toEqual({ kind: 'moved' });
  });

  it('leaves large reads and far known bytes to readLines', () => {
    writeFileSync(path, text(numbered('c', 0, 3000)), { flag: 'a' });
    const size = readFileSync(path).length;
    expect(size).toBeGreaterThan(16 * 1024);
    expect(readLinesSync(fd, 0, size, known(0, 1024))).toBeUndefined(); // more than 16 KiB
    expect(readLinesSync(fd, 10_000, 10_100, known(0, 1024))).toBeUndefined(); // known bytes 10 KB back
  });
});
