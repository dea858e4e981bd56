// A file's fingerprint: its first `fingerprint_size` bytes. With the device and inode it tells a
// file from another across rotations, copies and restarts. A file shorter than that has a prefix
// fingerprint that grows with it, so two fingerprints match when the shorter is a prefix of the
// longer. Checkpoints keep a digest (length + sha1), not the bytes.
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { read, readSync } from 'node:fs';

export interface Digest {
  size: number;
  sha1: string;
}

export function digest(bytes: Uint8Array): Digest {
  // One-shot crypto.hash: without a Hash object per call it is about twice as fast for 1 KiB, and a
  // checkpoint digests the tail of every file whose offset moved, once a second.
  return { size: bytes.length, sha1: hash('sha1', bytes, 'hex') };
}

/** True when `bytes` (at least `d.size` long) begins with the bytes `d` was made of. */
export function matchesDigest(bytes: Uint8Array, d: Digest): boolean {
  if (bytes.length < d.size) return false;
  return digest(bytes.subarray(0, d.size)).sha1 === d.sha1;
}

/** The shorter is a prefix of the longer; an empty fingerprint is unknown and matches nothing. */
export function fingerprintsMatch(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  if (n === 0) return false;
  return Buffer.compare(a.subarray(0, n), b.subarray(0, n)) === 0;
}

/** gzip's magic bytes: a compressed rotation is never read as text. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Reads up to `length` bytes at `position`; a short file gives a short buffer. */
export function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  if (length === 0) return Promise.resolve(buf);
  // A few KiB at most (the fingerprint, a tail digest's bytes): synchronous, as file-reader.ts's small reads.
  if (length <= 16 * 1024) {
    try {
      return Promise.resolve(buf.subarray(0, readSync(fd, buf, 0, length, position)));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise((resolve, reject) => {
    read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
  });
}

export function readHead(fd: number, fingerprintSize: number): Promise<Buffer> {
  return readAt(fd, fingerprintSize, 0);
}

/**
 * readAt, synchronously: for the poll, which judges every file between one stat and the next
 * without yielding to a read turn (a page-cache read of at most fingerprint_size bytes).
 */
export function readAtSync(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  if (length === 0 || position < 0) return buf.subarray(0, 0);
  return buf.subarray(0, readSync(fd, buf, 0, length, position));
}
