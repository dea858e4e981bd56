// The contract of a decoder module: turns one raw line into a record. Receivers name the decoder a
// batch needs (RawBatch.decoder); the worker loads it once and calls it per line.
import type { LogRecord } from '../record/record.ts';

export interface DecoderState {
  /** Observed time of the batch, for records whose runtime gives no timestamp. */
  observedTimeUnixNano: bigint;
}

/**
 * Decodes the batch's lines into records, appending to `out`. `lines` yields each line without
 * its '\n'. A decoder may merge lines (CRI partials) and must never drop one silently.
 */
export type DecodeLines = (lines: Iterable<string>, out: LogRecord[], state: DecoderState) => void;

export interface DecoderModule {
  createDecoder(options: unknown): DecodeLines;
}
