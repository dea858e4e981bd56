// Read-only state that a processor's main-thread part publishes to its worker-thread part (the
// k8s metadata snapshot, keys, policy): one growable SharedArrayBuffer per processor, guarded by a
// sequence lock. Workers check one Int32 per batch and decode only when the sequence moved, so the
// state costs nothing per record and a worker started after a crash sees the latest snapshot.
const HEADER = 8; // Int32 sequence (odd while writing) + Int32 length
const MAX_BYTES = 256 * 1024 * 1024;

export class SharedStateWriter {
  readonly buffer: SharedArrayBuffer;
  readonly #header: Int32Array;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = new SharedArrayBuffer(HEADER + initialBytes, { maxByteLength: HEADER + MAX_BYTES });
    this.#header = new Int32Array(this.buffer, 0, 2);
  }

  /** Replaces the state. Main thread only; JSON-serialisable values. */
  publish(value: unknown): void {
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    if (bytes.length > MAX_BYTES)
      throw new Error(`shared state of ${bytes.length} bytes exceeds ${MAX_BYTES}`);
    if (HEADER + bytes.length > this.buffer.byteLength) this.buffer.grow(HEADER + bytes.length);
    Atomics.add(this.#header, 0, 1); // odd: readers keep their copy
    new Uint8Array(this.buffer, HEADER, bytes.length).set(bytes);
    Atomics.store(this.#header, 1, bytes.length);
    Atomics.add(this.#header, 0, 1);
  }
}

export class SharedStateReader<T> {
  readonly #buffer: SharedArrayBuffer;
  readonly #header: Int32Array;
  #seq = 0;
  #value: T | undefined;

  constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    this.#header = new Int32Array(buffer, 0, 2);
  }

  /** The latest published state, or undefined before the first publish. */
  current(): T | undefined {
    const seq = Atomics.load(this.#header, 0);
    if (seq === this.#seq || seq % 2 === 1) return this.#value;
    const length = Atomics.load(this.#header, 1);
    const text = Buffer.from(new Uint8Array(this.#buffer, HEADER, length)).toString('utf8');
    if (Atomics.load(this.#header, 0) !== seq) return this.#value; // written meanwhile: next batch
    this.#value = JSON.parse(text) as T;
    this.#seq = seq;
    return this.#value;
  }
}
