// Frees a worker's encoded output as soon as every exporter is done with it. Each batch comes back
// from its worker as a transferred ArrayBuffer of ~1–2 MB; left to V8, those buffers count as
// external memory, and their growth alone started a full mark-compact on the main thread every
// ~200 ms of a 400k-line backfill (--trace-gc: ~35 per run, ~1 CPU s of a 10 s run, heap 19 → 17 MB
// each time). Detached after use, the backing store goes back at once and the collections stop:
// 3000 transferred 1.2 MB buffers cost 1.4 CPU s and 198 MB RSS dropped, 0.45 s and 73 MB
// detached (bench/RESULTS.md, "Freeing encoded outputs").
//
// Only buffers that are wholly this output's (offset 0, full length, not shared) are detached: a
// view into a pooled or shared buffer would take its neighbours with it.
export function freeBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  if (!(buffer instanceof ArrayBuffer) || buffer.detached) return;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength) return;
  buffer.transfer(0);
}
