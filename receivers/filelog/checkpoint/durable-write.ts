// Replaces a small state file with write + fsync + rename, so a crash leaves either the old or the
// new file, never a torn one. Used for checkpoints and the retention policy's list of rotated files.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export function writeDurably(file: string, text: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    if (typeof text === 'string') writeSync(fd, text);
    else for (let at = 0; at < text.length; ) at += writeSync(fd, text, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * The same off the main thread, for the periodic checkpoint: a synchronous fsync blocks the event
 * loop for as long as the disk takes, and every poll and read waits behind it. Callers must not overlap two writes of one file.
 */
export async function writeDurablyAsync(file: string, text: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  if (!made.has(dir)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    made.add(dir); // once; a failed open (the directory deleted) makes it again next time
  }
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600).catch((err: unknown) => {
    made.delete(dir);
    throw err;
  });
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** Directories writeDurablyAsync made (or found) already. */
const made = new Set<string>();
