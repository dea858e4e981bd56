// Opening a tailed file: read-only and, where allowed, without access-time updates (O_NOATIME:
// the file's owner, or CAP_FOWNER as the DaemonSet's root has). Without it every read of a file
// appended since its last read dirties the inode in the file system's journal (relatime;
// bench/RESULTS.md). Where the flag is refused (EPERM: an agent that owns neither
// the files nor CAP_FOWNER), files are opened plainly from then on.
import { constants, open, openSync } from 'node:fs';

let flags = constants.O_RDONLY | (constants.O_NOATIME ?? 0);

function refused(err: unknown): boolean {
  if ((err as NodeJS.ErrnoException).code !== 'EPERM' || flags === constants.O_RDONLY) return false;
  flags = constants.O_RDONLY;
  return true;
}

export function openRead(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const opened = (err: NodeJS.ErrnoException | null, fd: number) => {
      if (!err) resolve(fd);
      else if (refused(err)) open(path, flags, opened);
      else reject(err);
    };
    open(path, flags, opened);
  });
}

export function openReadSync(path: string): number {
  try {
    return openSync(path, flags);
  } catch (err) {
    if (refused(err)) return openSync(path, flags);
    throw err;
  }
}
