// Tailed files are opened without access-time updates (O_NOATIME), so a read of a freshly appended
// file does not dirty its inode; a plain open's read does (relatime: atime older than mtime).
import { closeSync, mkdtempSync, openSync, readSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openRead, openReadSync } from '../../../../../receivers/filelog/read/open-read.ts';

/** Sets the file's atime an hour before its mtime, reads it through `fd`, returns whether atime moved. */
function atimeMovedBy(path: string, open: () => number | Promise<number>): Promise<boolean> {
  const hourAgo = Date.now() / 1000 - 3600;
  utimesSync(path, hourAgo, Date.now() / 1000);
  const before = statSync(path).atimeMs;
  return Promise.resolve(open()).then((fd) => {
    readSync(fd, Buffer.alloc(16), 0, 16, 0);
    closeSync(fd);
    return statSync(path).atimeMs !== before;
  });
}

it('reads without moving the access time, where a plain open moves it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'meshtail-noatime-')), '0.log');
  writeFileSync(path, 'a line\n');
  expect(await atimeMovedBy(path, () => openSync(path, 'r'))).toBe(true); // the file system keeps atime
  expect(await atimeMovedBy(path, () => openReadSync(path))).toBe(false);
  expect(await atimeMovedBy(path, () => openRead(path))).toBe(false);
});

it('reports a missing file as the plain open does', async () => {
  const path = join(tmpdir(), 'meshtail-noatime-missing', 'none.log');
  expect(() => openReadSync(path)).toThrow(/ENOENT/);
  await expect(openRead(path)).rejects.toThrow(/ENOENT/);
});
