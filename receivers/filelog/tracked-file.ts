// One file being tailed: its descriptor, identity, read position and acknowledged position.
import { close, fstat, open, type Stats } from 'node:fs';
import { OffsetTracker } from './offset-tracker.ts';

export class TrackedFile {
  readonly path: string;
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
  /** Next byte to read. */
  offset: number;
  readonly acked: OffsetTracker;
  /** Set when the path now names another file: read this one to its end, then let it go. */
  rotated = false;
  reading = false;

  private constructor(path: string, fd: number, st: Stats, offset: number) {
    this.path = path;
    this.fd = fd;
    this.dev = st.dev;
    this.ino = st.ino;
    this.offset = offset;
    this.acked = new OffsetTracker(offset);
  }

  static async open(path: string, offsetFor: (st: Stats) => number): Promise<TrackedFile> {
    const fd = await new Promise<number>((resolve, reject) =>
      open(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))),
    );
    const st = await fstatAsync(fd);
    return new TrackedFile(path, fd, st, Math.min(offsetFor(st), st.size));
  }

  size(): Promise<number> {
    return fstatAsync(this.fd).then((st) => st.size);
  }

  close(): Promise<void> {
    return new Promise((resolve) => close(this.fd, () => resolve()));
  }
}

function fstatAsync(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve(st))));
}
