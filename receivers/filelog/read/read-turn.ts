// One file's turn: reads up to max_read_per_turn bytes as batches of whole lines, never ending a
// batch inside a CRI/docker partial run, cuts lines longer than max_line_size, and registers each
// batch with the file's offset tracker so its offset is committed once the pipelines delivered it.
// Small reads of many files are joined into one batch (agent/kit/record/batch-joiner.ts).
import { realpath } from 'node:fs';
import type { BatchConsumer } from '../../../agent/kit/component.ts';
import { BatchJoiner } from '../../../agent/kit/record/batch-joiner.ts';
import { countLines } from '../../../agent/kit/record/count-lines.ts';
import { type PackedOrigin, packOrigin } from '../../../agent/kit/record/packed-origin.ts';
import type { Attributes } from '../../../agent/kit/record/record.ts';
import { sharedBytes } from '../../../agent/kit/record/shared-bytes.ts';
import type { FilelogConfig } from '../config.ts';
import type { FilelogMetrics } from '../metrics.ts';
import { resourceFromPath } from '../path-resource.ts';
import type { TrackedFile } from '../tracked-file.ts';
import { restatNextPoll, takeProbe } from '../watch/change-watch.ts';
import type { DecoderOptions } from './decoder.ts';
import { readLines, readLinesSync, readTail, skipLine } from './file-reader.ts';
import { hasPartial, partialCut } from './partial-cut.ts';

const DECODER = new URL('./decoder.ts', import.meta.url).href;
/** Growth read by #quickTurn at most: more goes the general way (in chunks, maybe off the main thread). */
const QUICK_MAX = 8 * 1024;

interface Origin {
  resource: Attributes;
  attributes: Attributes;
  /** Both packed for the worker once per file, not looked up per read (packed-origin.ts). */
  packed: PackedOrigin | null;
}
const TRUNCATED = 'meshtail.log.truncated';

export class ReadTurn {
  readonly #config: FilelogConfig;
  readonly #joiner: BatchJoiner;
  readonly #decoder: { module: string; options: DecoderOptions };
  readonly #metrics: FilelogMetrics;
  /** Batches not yet delivered; shutdown waits for them before the last checkpoint. */
  readonly inflight = new Set<Promise<void>>();
  readonly #origin = new Map<string, Origin>();
  #bytes = 0;
  #lines = 0;
  #observedMs = 0;
  #observedNs = 0n;

  constructor(config: FilelogConfig, next: BatchConsumer, metrics: FilelogMetrics) {
    this.#config = config;
    this.#metrics = metrics;
    this.#decoder = { module: DECODER, options: { format: config.format, maxLogSize: config.max_log_size } };
    this.#joiner = new BatchJoiner(next, config.read_buffer_size, (done) => {
      this.inflight.add(done);
      void done.then(() => this.inflight.delete(done));
    });
  }

  /**
   * Returns true when the file used its whole budget and may have more to read now; synchronously
   * for the common case (#quickTurn), else a promise.
   */
  turn(f: TrackedFile, now: number, stopped: () => boolean): boolean | Promise<boolean> {
    return this.#quickTurn(f, now) ?? this.#turn(f, now, stopped);
  }

  /**
   * A live file that grew by a few whole lines: one synchronous read, one part, no promise unless
   * the joined batch must go (backpressure). Undefined when the file needs the general path: a
   * line being skipped, a rotated or finished file, a large read, an open CRI/docker partial run.
   */
  #quickTurn(f: TrackedFile, now: number): boolean | Promise<boolean> | undefined {
    const c = this.#config;
    const fd = f.fd;
    // A probe: a polled directory's tick marked the file instead of stat'ing it (change-watch.ts);
    // the read at the offset stands in for the stat unless it cannot tell (#restat then).
    const probe = takeProbe(f) && f.offset >= f.size;
    const reading = f.reading;
    if (
      fd === undefined ||
      reading.skipping ||
      f.goneSince !== undefined ||
      reading.complete ||
      reading.continued.length > 0
    )
      return probe ? this.#restat(f) : undefined;
    const size = probe ? f.offset + QUICK_MAX : f.size;
    const len = size - f.offset;
    const origin = this.#origin.get(f.path);
    if (len > QUICK_MAX || len >= c.max_line_size || len >= c.max_log_size || !origin)
      return probe ? this.#restat(f) : undefined;
    const r = readLinesSync(fd, f.offset, size, f.known);
    if (r === undefined) return probe ? this.#restat(f) : undefined;
    if (probe) {
      // Nothing whole (nothing new, a line without its end yet, or the file truncated under the
      // offset), or a full read with maybe more behind it: the next poll's stat says which.
      if (r.kind === 'none' || (r.kind === 'lines' && r.filled)) this.#restat(f);
      if (r.kind === 'lines' && r.end > f.size) f.size = r.end;
    }
    if (r.kind === 'moved') {
      reading.markMoved();
      return false;
    }
    if (r.kind !== 'lines') return false; // a last line without its '\n' yet: it waits, as in #turn
    // A partial run (open, or closed within the read): #turn reads it again, cuts it where it must.
    if (hasPartial(r.data, c.format)) return undefined;
    reading.waitFrom(undefined);
    // The read is in readLinesSync's scratch buffer: the joiner copies it at once, or a copy goes.
    const data = this.#joiner.takesNow(r.data.length) ? r.data : sharedBytes(r.data);
    const handed = this.#handOverNow(f, origin, data, r.end, data, false, now);
    f.offset = r.end;
    return handed ? handed.then(() => false) : false;
  }

  /** A probe that cannot stand in for a stat: the next poll stats the file. */
  #restat(f: TrackedFile): false {
    restatNextPoll(f);
    return false;
  }

  async #turn(f: TrackedFile, now: number, stopped: () => boolean): Promise<boolean> {
    const c = this.#config;
    const fd = f.fd;
    if (fd === undefined) return false;
    // Gone and no longer growing, or left by its writer (retention): nothing will end its last line.
    const reading = f.reading;
    const finished = (f.goneSince !== undefined && f.stillPolls >= 1) || reading.complete;
    let budget = c.max_read_per_turn;
    let want = c.read_buffer_size;
    while (budget > 0 && !stopped()) {
      if (reading.skipping) {
        const s = await skipLine(fd, f.offset, f.size);
        f.offset = s.end;
        f.acked.skip(s.end);
        if (!s.found) return false;
        reading.skipToLineEnd(false);
        continue;
      }
      if (f.offset >= f.size) return false;
      const r = await readLines(fd, f.offset, f.size, want, c.max_line_size, f.known);
      if (r.kind === 'moved') {
        reading.markMoved(); // truncated (and written again): the tracker's recheck after this turn sees to it
        return false;
      }
      if (r.kind === 'none') {
        if (!finished) return false;
        // A rotated file will not get the '\n' of its last line: emit it as it is.
        const tail = await readTail(fd, f.offset, f.size, c.max_line_size);
        await this.#handOver(
          f,
          tail,
          f.size,
          tail.subarray(0, tail.length - 1),
          f.size - f.offset > c.max_line_size,
        );
        f.offset = f.size;
        return false;
      }
      if (r.kind === 'cut') {
        this.#metrics.truncatedLines.inc(this.#metrics.labels);
        await this.#handOver(f, r.data, r.end, r.data.subarray(0, c.max_line_size), true);
        f.offset = r.end;
        reading.skipToLineEnd(true);
        budget -= r.data.length;
        continue;
      }
      let data = r.data;
      let continued: string[] = [];
      const cut = partialCut(data, c.format);
      if (cut.at > 0) {
        data = data.subarray(0, cut.at);
        reading.waitFrom(
          cut.at < r.data.length && r.end >= f.size ? (reading.waitingSince ?? now) : undefined,
        );
      } else if (data.length >= c.max_log_size) {
        continued = cut.open; // a run longer than max_log_size: emitted in pieces, each marked
      } else if (r.end < f.size) {
        want = Math.min(data.length * 2 + c.read_buffer_size, c.max_log_size + c.read_buffer_size);
        continue;
      } else {
        const since = reading.waitingSince ?? now;
        reading.waitFrom(since);
        if (!finished && now - since < c.force_flush_period) return false;
        continued = cut.open; // the run's later pieces, if any come, are marked as its cut rest
      }
      if (data.length === r.data.length || cut.at === 0) reading.waitFrom(undefined);
      await this.#handOver(f, data, f.offset + data.length, data, false);
      reading.continueRuns(continued);
      f.offset += data.length;
      budget -= data.length;
      want = c.read_buffer_size;
    }
    return budget <= 0;
  }

  async #handOver(
    f: TrackedFile,
    data: Uint8Array,
    end: number,
    tail: Uint8Array,
    truncated: boolean,
  ): Promise<void> {
    const origin = this.#origin.get(f.path) ?? (await this.#originOf(f.path));
    await this.#handOverNow(f, origin, data, end, tail, truncated, Date.now());
  }

  /** Registers the read with the file's offsets and hands it to the joiner; a promise only when a batch must go. */
  #handOverNow(
    f: TrackedFile,
    origin: Origin,
    data: Uint8Array,
    end: number,
    tail: Uint8Array,
    truncated: boolean,
    now: number,
  ): Promise<void> | undefined {
    const attributes = truncated ? { ...origin.attributes, [TRUNCATED]: true } : origin.attributes;
    const delivered = f.acked.track(end, tail);
    // Counted per pass (flush), not per read: a labelled increment costs a label lookup.
    this.#bytes += data.length;
    this.#lines += countLines(data);
    // One shared ref for the usual case: the parts of a joined batch then clone it once, and the
    // worker looks it up once per task rather than once per file.
    const continued = f.reading.takeContinued();
    const decoder =
      continued.length > 0
        ? { module: DECODER, options: { ...this.#decoder.options, continued } }
        : this.#decoder;
    const observedTimeUnixNano = this.#observedAt(now);
    return this.#joiner.send(
      data,
      truncated
        ? { resource: origin.resource, attributes, decoder, observedTimeUnixNano }
        : { resource: origin.resource, attributes, decoder, observedTimeUnixNano, packed: origin.packed },
      delivered,
    );
  }

  /** The observed time of reads at `now` (ms): one BigInt per millisecond, not one per read. */
  #observedAt(now: number): bigint {
    if (now !== this.#observedMs) {
      this.#observedMs = now;
      this.#observedNs = BigInt(now) * 1_000_000n;
    }
    return this.#observedNs;
  }

  /** Sends the small reads joined so far: at the end of every pass over the files, and at shutdown. */
  flush(): Promise<void> {
    if (this.#bytes > 0) {
      this.#metrics.readBytes.inc(this.#metrics.labels, this.#bytes);
      this.#metrics.readLines.inc(this.#metrics.labels, this.#lines);
      this.#bytes = 0;
      this.#lines = 0;
    }
    return this.#joiner.flush();
  }

  /** Resource attributes from the kubelet path, through symlinks (/var/log/containers → /var/log/pods). */
  async #originOf(path: string): Promise<Origin> {
    let o = this.#origin.get(path);
    if (!o) {
      const real = await new Promise<string>((r) => realpath(path, (err, p) => r(err ? path : p)));
      const resource = resourceFromPath(path);
      const r = Object.keys(resource).length > 0 ? resource : resourceFromPath(real);
      const attributes = { 'log.file.path': path };
      o = { resource: r, attributes, packed: packOrigin(r, attributes) };
      if (this.#origin.size > 10_000) this.#origin.clear();
      this.#origin.set(path, o);
    }
    return o;
  }
}
