// Synchronous stats and small reads of tailed files. Local log files are stat'ed synchronously
// (metadata of a local file system, no data I/O): the callback API's thread-pool round trip costs
// several times a statSync or an fstatSync (bench/RESULTS.md).
import type { Buffer } from 'node:buffer';
import { fstatSync, type Stats, statSync } from 'node:fs';

/** Stats a file through its descriptor when it has one, else by path; undefined when that fails. */
export function statFile(fd: number | undefined, path: string | undefined): Stats | undefined {
  try {
    return fd !== undefined ? fstatSync(fd) : statSync(path!, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The size of an open file; undefined when its descriptor fails. */
export function sizeOf(fd: number): number | undefined {
  try {
    return fstatSync(fd).size;
  } catch {
    return undefined;
  }
}

/** A read that may fail (the file went away under its descriptor): undefined then. */
export function tryRead(read: () => Buffer): Buffer | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
