// Reads a `${file:PATH}` reference: a regular file of at most 1 MiB, or an error code. Without the
// checks, `${file:/dev/zero}` read without end (3 GB in 9 s) and a FIFO blocked the load forever.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_SUBSTITUTED_FILE_BYTES = 1024 * 1024;

export type SecretFileRead = { ok: true; text: string } | { ok: false; reason: string };

export function readSecretFile(path: string): SecretFileRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? 'read error' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > MAX_SUBSTITUTED_FILE_BYTES) return { ok: false, reason: 'larger than 1 MiB' };
    // One byte past the limit: a file that grew since fstat is refused too.
    const buf = Buffer.alloc(MAX_SUBSTITUTED_FILE_BYTES + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, null);
    if (got > MAX_SUBSTITUTED_FILE_BYTES) return { ok: false, reason: 'larger than 1 MiB' };
    return { ok: true, text: buf.toString('utf8', 0, got) };
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? 'read error' };
  } finally {
    closeSync(fd);
  }
}
