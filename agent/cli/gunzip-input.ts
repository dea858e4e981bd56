// The file exporter gzips its rotated files (`rotation.compress: gzip` → `<name>.gz`): decrypt reads
// them as they are. A gzip stream is recognised by its magic bytes (1f 8b), not by the file name,
// so a compressed file piped to stdin is read too.
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export async function gunzipIfCompressed(source: Readable): Promise<Readable> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < 2 && !ended) {
    const r = await chunks.next();
    if (r.done) ended = true;
    else {
      head.push(r.value);
      length += r.value.length;
    }
  }
  const first = Buffer.concat(head);
  async function* all(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (ended) return;
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
  }
  const whole = Readable.from(all(), { objectMode: false });
  if (first[0] !== 0x1f || first[1] !== 0x8b) return whole;
  // pipeline forwards an error of either stream to the gunzip stream the caller reads.
  return pipeline(whole, createGunzip(), () => {});
}
