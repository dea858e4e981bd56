// Reads lines from standard input (`tail -F x.log | meshtail run -c ...`), in batches of whole lines.
import type { Readable } from 'node:stream';
import type { BatchConsumer, Component, ComponentSettings } from '../../agent/kit/component.ts';
import { allocShared } from '../../agent/kit/record/shared-bytes.ts';
import type { StdinConfig } from './config.ts';

export class StdinReceiver implements Component {
  readonly #config: StdinConfig;
  readonly #next: BatchConsumer;
  readonly #input: Readable;
  readonly #inflight = new Set<Promise<void>>();
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> | undefined;
  #stopped = false;

  constructor(
    _settings: ComponentSettings,
    config: StdinConfig,
    next: BatchConsumer,
    input: Readable = process.stdin,
  ) {
    this.#config = config;
    this.#next = next;
    this.#input = input;
  }

  async start(): Promise<void> {
    this.#reading = this.#read();
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (!this.#reading) return; // never started: the input is not ours to close
    this.#input.pause();
    this.#input.destroy();
    await this.#reading;
    await this.#flush(true);
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** Settles when the input ended and everything read was delivered. */
  get ended(): Promise<void> | undefined {
    return this.#reading;
  }

  async #read(): Promise<void> {
    try {
      for await (const chunk of this.#input as AsyncIterable<Buffer>) {
        this.#pending.push(chunk);
        this.#pendingBytes += chunk.length;
        if (this.#pendingBytes >= this.#config.batch_size) await this.#flush(false);
        else this.#armTimer();
        if (this.#stopped) break;
      }
    } catch {
      // Destroyed at shutdown; what was buffered is flushed below.
    }
    await this.#flush(true);
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#flush(false), this.#config.flush_interval);
  }

  /** Sends the buffered whole lines; at end of input a last unterminated line is sent too. */
  async #flush(final: boolean): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#pendingBytes === 0) return;
    const all = Buffer.concat(this.#pending, this.#pendingBytes);
    let cut = all.lastIndexOf(10) + 1;
    if (cut === 0 && (final || all.length >= this.#config.max_line_size)) cut = all.length;
    if (cut === 0) return;
    const data = allocShared(cut + (all[cut - 1] === 10 ? 0 : 1));
    data.set(all.subarray(0, cut));
    if (data.length > cut) data[cut] = 10;
    const rest = all.subarray(cut);
    this.#pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.#pendingBytes = rest.length;
    const observed = BigInt(Date.now()) * 1_000_000n;
    const delivery = await this.#next.consume({
      data,
      resource: {},
      attributes: {},
      observedTimeUnixNano: observed,
    });
    const settled = delivery.done.catch(() => undefined);
    this.#inflight.add(settled);
    settled.then(() => this.#inflight.delete(settled));
  }
}
