// The read position of a disk queue: every frame before it has been delivered (or counted dropped).
// Written to a temporary file and renamed over `ack`, so a crash leaves the old or the new position,
// never a torn one; fsynced when the policy says so.
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface AckPosition {
  segment: number;
  /** Index of the next frame to deliver in `segment`. */
  index: number;
  /** Byte offset of that frame; 0 means "after the segment header". */
  offset: number;
}

export const START: AckPosition = { segment: 0, index: 0, offset: 0 };

export async function readAck(dir: string): Promise<AckPosition> {
  try {
    const p = JSON.parse(await readFile(join(dir, 'ack'), 'utf8')) as AckPosition;
    const ok = [p.segment, p.index, p.offset].every((n) => Number.isSafeInteger(n) && n >= 0);
    return ok ? p : START;
  } catch {
    return START;
  }
}

export async function writeAck(dir: string, p: AckPosition, sync: boolean): Promise<void> {
  const tmp = join(dir, 'ack.tmp');
  const file = await open(tmp, 'w', 0o600);
  try {
    await file.writeFile(JSON.stringify(p));
    if (sync) await file.datasync();
  } finally {
    await file.close();
  }
  await rename(tmp, join(dir, 'ack'));
}
