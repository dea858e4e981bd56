// Writes each payload human-readable to a stream (stderr by default). It parses the OTLP/JSON the
// worker encoded; debug output is for people, so its cost per payload does not matter.
import type { Payload } from '../../agent/kit/component.ts';
import type { SendResult, Transport } from '../../agent/kit/exporter-helper/transport.ts';
import { permanent, SENT } from '../../agent/kit/retry/send-result.ts';
import { basicSummary } from './basic-summary.ts';
import type { DebugConfig } from './config.ts';
import { detailedLines } from './detailed-lines.ts';
import { normalLines } from './normal-lines.ts';

export interface TextSink {
  write(text: string): unknown;
}

export class DebugTransport implements Transport {
  /** The bytes are decoded to text within send(). */
  readonly releasesPayload = true;
  readonly #id: string;
  readonly #config: DebugConfig;
  readonly #out: TextSink;

  constructor(id: string, config: DebugConfig, out: TextSink) {
    this.#id = id;
    this.#config = config;
    this.#out = out;
  }

  async send(payload: Payload): Promise<SendResult> {
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(new TextDecoder().decode(payload.bytes)) as Record<string, unknown>;
    } catch (err) {
      return permanent(`payload is not OTLP/JSON: ${(err as Error).message}`);
    }
    let text = basicSummary(this.#id, payload.signal, request);
    if (this.#config.verbosity === 'normal') text += normalLines(payload.signal, request);
    if (this.#config.verbosity === 'detailed') text += detailedLines(payload.signal, request);
    this.#out.write(text);
    return SENT;
  }

  async shutdown(): Promise<void> {}
}
