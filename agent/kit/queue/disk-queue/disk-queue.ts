// The persistent sending queue (`storage: disk`): a write-ahead log of segment files under
// <data_dir>/queues/<exporter id>/, read lazily one frame at a time (memory stays bounded by the
// frames in flight, not by the queue), acknowledged in order, deleted once fully acknowledged.
// `put` resolves once the frame is written (and fsynced under fsync: always), so the queue is
// durable: the exporter returns before delivery and the receiver commits its offsets.
import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Payload } from '../../component.ts';
import type { PayloadQueue } from '../payload-queue.ts';
import { type AckPosition, readAck, START, writeAck } from './ack-file.ts';
import type { DropTally } from './drop-tally.ts';
import type { QueueKeys } from './queue-keys.ts';
import { decodeRecord, encodeRecord } from './queued-record.ts';
import type { SegmentCipher } from './segment-cipher.ts';
import {
  decodeFrameHeader,
  encodeFrameHeader,
  encodeHeader,
  FRAME_HEADER,
  readHeader,
  scanFrames,
  segmentId,
  segmentName,
} from './segment-file.ts';
import { SegmentWriter } from './segment-writer.ts';

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface DiskQueueOptions {
  dir: string;
  keys: QueueKeys;
  maxSize: number;
  /** 0: never expire. */
  maxAge: number;
  fsync: FsyncPolicy;
  fsyncInterval: number;
  segmentSize: number;
  /** A payload that does not fit: wait until acknowledged segments free room, or drop it (counted). */
  whenFull: 'block' | 'drop_newest';
  drops: DropTally;
  /** Told the payloads waiting and the bytes on disk after changes. */
  onSize?: (payloads: number, bytes: number) => void;
  now?: () => number;
}

/** What the exporter helper queues: `settle` of a taken item acknowledges it. */
export interface DiskItem {
  payload: Payload;
  settle: () => void;
}

interface Segment {
  id: number;
  path: string;
  frames: number;
  records: number;
  bytes: number;
  newest: number;
}

interface Reader {
  segment: Segment;
  close: () => Promise<void>;
  read: (buf: Buffer, at: number) => Promise<number>;
  cipher: SegmentCipher | undefined;
  index: number;
  offset: number;
}

interface Taken {
  segment: number;
  index: number;
  end: number;
  acked: boolean;
}

export class DiskQueue implements PayloadQueue<DiskItem> {
  readonly capacity: number;
  readonly durable = true;
  readonly #options: DiskQueueOptions;
  readonly #now: () => number;
  readonly #segments: Segment[];
  #writer!: SegmentWriter;
  #reader: Reader | undefined;
  /** Where the reader goes next when it has no open segment. */
  #readPos: AckPosition;
  #committed: AckPosition;
  #ackDirty = false;
  readonly #taken: Taken[] = [];
  #pending = 0;
  /** Counts appends, so a reader that found nothing notices one that landed while it looked. */
  #appended = 0;
  #bytes = 0;
  #closed = false;
  #halted = false;
  #writes: Promise<unknown> = Promise.resolve();
  #reads: Promise<unknown> = Promise.resolve();
  #acks: Promise<unknown> = Promise.resolve();
  #wake: (() => void) | undefined;
  /** Bytes of an empty segment (its header). */
  #headerBytes = 0;
  /** A blocked append, waiting for room (when_full: block). */
  #roomWaiter: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(o: DiskQueueOptions, segments: Segment[], ack: AckPosition) {
    this.#options = o;
    this.#now = o.now ?? Date.now;
    this.capacity = o.maxSize;
    this.#segments = segments;
    this.#readPos = ack;
    this.#committed = ack;
  }

  /** Recovers what a previous run left (cutting a torn last frame) and starts a new segment. */
  static async open(o: DiskQueueOptions): Promise<DiskQueue> {
    await mkdir(o.dir, { recursive: true, mode: 0o700 });
    let ack = await readAck(o.dir);
    const segments: Segment[] = [];
    const names = (await readdir(o.dir)).filter((n) => segmentId(n) !== undefined).sort();
    for (const name of names) {
      const id = segmentId(name)!;
      const path = join(o.dir, name);
      if (id < ack.segment) {
        await unlink(path);
        continue;
      }
      const file = await open(path, 'r+');
      try {
        const header = await readHeader(file, o.keys);
        if (typeof header === 'string') {
          // Not ours or torn before its header was whole: nothing in it can be read; left for inspection.
          o.drops.note(`segment ${name}: ${header}; skipped`);
          continue;
        }
        const s = await scanFrames(file, header.length);
        segments.push({ id, path, frames: s.frames, records: s.records, bytes: s.length, newest: s.newest });
      } finally {
        await file.close();
      }
    }
    if (segments.length > 0 && segments[0]!.id > ack.segment) ack = { ...START, segment: segments[0]!.id };
    const q = new DiskQueue(o, segments, ack);
    for (const s of segments) {
      q.#bytes += s.bytes;
      q.#pending += s.id === ack.segment ? Math.max(0, s.frames - ack.index) : s.frames;
    }
    const lastId = names.length > 0 ? segmentId(names[names.length - 1]!)! : 0;
    const nextId = Math.max(lastId + 1, ack.segment, 1);
    await q.#roll(nextId);
    if (q.#committed.segment === 0)
      q.#committed = q.#readPos = { ...START, segment: segments[0]?.id ?? nextId };
    const tick = o.fsync === 'always' ? 1000 : o.fsyncInterval;
    q.#timer = setInterval(() => q.#tick(), Math.max(10, Math.min(tick, 10_000)));
    q.#timer.unref();
    q.#report();
    return q;
  }

  get size(): number {
    return this.#pending;
  }

  /** Bytes of segments on disk. */
  get bytes(): number {
    return this.#bytes;
  }

  put(item: DiskItem): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const write = this.#writes.then(() => this.#append(item.payload));
    this.#writes = write.catch(() => {});
    return write;
  }

  take(): Promise<DiskItem | undefined> {
    const next = this.#reads.then(() => this.#takeOne());
    this.#reads = next.catch(() => {});
    return next;
  }

  /** Stops admitting; takers still get what is queued, then undefined instead of waiting. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
    this.#wakeRoom();
  }

  /** Stops handing out items (the drain deadline): what is left stays on disk for the next run. */
  halt(): void {
    this.#halted = true;
    this.close();
  }

  /** Nothing is removed: a disk queue keeps what is left for the next run. */
  drain(): DiskItem[] {
    return [];
  }

  /** After close(): waits for writes, persists the read position, fsyncs and closes the files. */
  async shutdown(): Promise<void> {
    this.halt();
    clearInterval(this.#timer);
    await this.#writes;
    await this.#reads;
    await this.#writer.close(this.#options.fsync !== 'never');
    await this.#reader?.close();
    this.#reader = undefined;
    await this.#acks;
    await writeAck(this.#options.dir, this.#committed, this.#options.fsync !== 'never');
    this.#options.drops.flush();
  }

  async #append(payload: Payload): Promise<boolean> {
    if (this.#closed) return false;
    const now = this.#now();
    let w = this.#writer;
    const plain = encodeRecord(payload);
    const frameBytes = FRAME_HEADER + plain.length + w.cipher.overhead;
    if (this.#bytes + frameBytes > this.#options.maxSize && !(await this.#room(frameBytes))) {
      if (this.#closed) return false; // shutdown while waiting: the exporter counts it
      this.#options.drops.drop('queue_full', payload.records);
      return true;
    }
    w = this.#writer;
    if (w.segment.frames > 0 && w.segment.bytes + frameBytes > this.#options.segmentSize) {
      await this.#roll(w.segment.id + 1);
      w = this.#writer;
    }
    const index = w.segment.frames;
    const sealedLength = plain.length + w.cipher.overhead;
    const head = encodeFrameHeader({ length: sealedLength, records: payload.records, queuedAt: now });
    const sealed = w.cipher.seal(index, head, plain);
    const before = w.segment.bytes;
    await w.append(Buffer.concat([head, sealed]), this.#options.fsync === 'always');
    w.segment.frames++;
    w.segment.records += payload.records;
    w.segment.newest = now;
    this.#bytes += w.segment.bytes - before;
    this.#pending++;
    this.#appended++;
    this.#report();
    this.#wake?.();
    return true;
  }

  /**
   * when_full: block — waits until acknowledged segments are deleted and the frame fits, which holds
   * up every later put and so the pipeline and its receivers: reading pauses, the log files keep
   * the lines. False for drop_newest, a frame bigger than the whole queue, or a closing queue.
   */
  async #room(frameBytes: number): Promise<boolean> {
    if (this.#options.whenFull !== 'block') return false;
    while (this.#bytes + frameBytes > this.#options.maxSize) {
      if (this.#closed) return false;
      if (frameBytes + this.#headerBytes > this.#options.maxSize) return false; // would not fit an empty queue
      const w = this.#writer.segment;
      if (this.#pending === 0 && this.#taken.length === 0 && w.frames > 0) {
        // All delivered, yet the writer's own segment holds the room: start another so it can go.
        await this.#roll(w.id + 1);
        continue;
      }
      await new Promise<void>((wake) => {
        this.#roomWaiter = wake;
      });
      this.#roomWaiter = undefined;
    }
    return true;
  }

  #wakeRoom(): void {
    this.#roomWaiter?.();
  }

  async #roll(id: number): Promise<void> {
    const key = this.#options.keys.forNewSegment();
    const path = join(this.#options.dir, segmentName(id));
    const header = encodeHeader(key);
    const segment: Segment = { id, path, frames: 0, records: 0, bytes: 0, newest: 0 };
    const old = this.#writer as SegmentWriter | undefined;
    this.#writer = await SegmentWriter.create(segment, header, key.cipher);
    this.#headerBytes = segment.bytes;
    this.#segments.push(segment);
    this.#bytes += segment.bytes;
    await old?.close(this.#options.fsync !== 'never');
    await this.#collect();
  }

  async #takeOne(): Promise<DiskItem | undefined> {
    while (!this.#halted) {
      const appended = this.#appended;
      const frame = await this.#next();
      if (frame === undefined) {
        if (appended !== this.#appended) continue;
        if (this.#closed) return undefined;
        await new Promise<void>((wake) => {
          this.#wake = wake;
        });
        this.#wake = undefined;
        continue;
      }
      const { taken, payload, queuedAt } = frame;
      this.#pending--;
      this.#report();
      if (payload === undefined) continue;
      if (this.#options.maxAge > 0 && queuedAt < this.#now() - this.#options.maxAge) {
        this.#options.drops.drop('expired', payload.records);
        this.#ack(taken);
        continue;
      }
      return { payload, settle: () => this.#ack(taken) };
    }
    return undefined;
  }

  /** The next frame in order, or undefined when the reader has caught up with the writer. */
  async #next(): Promise<{ taken: Taken; payload?: Payload; queuedAt: number } | undefined> {
    for (;;) {
      const r = this.#reader ?? (await this.#openReader());
      if (!r) return undefined;
      const seg = r.segment;
      if (r.index >= seg.frames || r.cipher === undefined) {
        if (seg === this.#writer.segment && r.cipher !== undefined) return undefined;
        if (r.cipher === undefined && r.index < seg.frames) {
          // A segment that cannot be read (no key, bad header): give its frames up, counted.
          this.#options.drops.drop('unreadable', seg.records);
          this.#pending -= seg.frames - r.index;
          this.#pushTaken({ segment: seg.id, index: seg.frames - 1, end: seg.bytes, acked: true });
        }
        await r.close();
        this.#reader = undefined;
        this.#readPos = { ...START, segment: seg.id + 1 };
        continue;
      }
      const headBuf = Buffer.allocUnsafe(FRAME_HEADER);
      await r.read(headBuf, r.offset);
      const head = decodeFrameHeader(headBuf);
      const body = Buffer.allocUnsafe(head.length);
      const got = await r.read(body, r.offset + FRAME_HEADER);
      const index = r.index;
      r.index++;
      r.offset += FRAME_HEADER + head.length;
      const taken: Taken = { segment: seg.id, index, end: r.offset, acked: false };
      this.#pushTaken(taken);
      const plain = got === head.length ? r.cipher.open(index, headBuf, body) : undefined;
      const payload = plain && decodeRecord(plain, head.records);
      if (!payload) {
        this.#options.drops.drop('unreadable', head.records);
        this.#ack(taken);
      }
      return { taken, payload, queuedAt: head.queuedAt };
    }
  }

  async #openReader(): Promise<Reader | undefined> {
    const seg = this.#segments.find((s) => s.id >= this.#readPos.segment);
    if (!seg) return undefined;
    const resume = seg.id === this.#readPos.segment && this.#readPos.offset > 0;
    const file = await open(seg.path, 'r');
    const header = await readHeader(file, this.#options.keys);
    const bad = typeof header === 'string' ? header : header.problem;
    const r: Reader = {
      segment: seg,
      close: () => file.close(),
      read: async (buf, at) => (await file.read(buf, 0, buf.length, at)).bytesRead,
      cipher: typeof header === 'string' ? undefined : header.cipher,
      index: resume ? this.#readPos.index : 0,
      offset: resume ? this.#readPos.offset : typeof header === 'string' ? 0 : header.length,
    };
    if (bad) this.#options.drops.note(`segment ${segmentName(seg.id)}: ${bad}`);
    this.#reader = r;
    return r;
  }

  #pushTaken(t: Taken): void {
    this.#taken.push(t);
  }

  /** Marks a frame delivered; the read position moves past every leading delivered frame. */
  #ack(t: Taken): void {
    t.acked = true;
    let moved = false;
    while (this.#taken[0]?.acked) {
      const head = this.#taken.shift()!;
      this.#committed = { segment: head.segment, index: head.index + 1, offset: head.end };
      moved = true;
    }
    if (!moved) return;
    this.#wakeRoom();
    this.#ackDirty = true;
    if (this.#options.fsync === 'always') this.#persistAck();
    void this.#collect();
  }

  #persistAck(): void {
    if (!this.#ackDirty) return;
    this.#ackDirty = false;
    const p = this.#committed;
    const sync = this.#options.fsync !== 'never';
    this.#acks = this.#acks.then(() => writeAck(this.#options.dir, p, sync)).catch(() => {});
  }

  /** Deletes fully acknowledged segments, and unread segments past max_age (counted expired). */
  async #collect(): Promise<void> {
    const c = this.#committed;
    const oldest = this.#now() - this.#options.maxAge;
    const readingId = this.#reader?.segment.id ?? this.#readPos.segment;
    const gone: Segment[] = [];
    for (const s of this.#segments) {
      if (s === this.#writer.segment) continue;
      const acked = s.id < c.segment || (s.id === c.segment && c.index >= s.frames);
      const expired = this.#options.maxAge > 0 && s.id > readingId && s.newest < oldest;
      if (!acked && !expired) continue;
      if (expired && !acked) {
        this.#options.drops.drop('expired', s.records);
        this.#pending -= s.frames;
      }
      this.#bytes -= s.bytes;
      gone.push(s);
    }
    if (gone.length === 0) return;
    // Removed from the list before the first await, so overlapping calls never count one twice.
    for (const s of gone) this.#segments.splice(this.#segments.indexOf(s), 1);
    this.#report();
    this.#wakeRoom();
    await Promise.all(gone.map((s) => unlink(s.path).catch(() => {})));
  }

  #tick(): void {
    if (this.#options.fsync === 'interval') this.#writer.sync().catch(() => {});
    this.#persistAck();
    void this.#collect();
    this.#options.drops.flush();
  }

  #report(): void {
    this.#options.onSize?.(this.#pending, this.#bytes);
  }
}
