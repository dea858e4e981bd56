// The decoder for plain lines: the line is the body, the batch's observed time is the observed time.
import type { LogRecord } from '../record/record.ts';
import type { DecodeLines } from './decoder.ts';

export const decodeRaw: DecodeLines = (lines, out, state) => {
  for (const line of lines) out.push(rawRecord(line, state.observedTimeUnixNano));
};

export function rawRecord(body: string, observedTimeUnixNano: bigint): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano,
    severityNumber: 0,
    severityText: '',
    body,
    attributes: {},
  };
}
