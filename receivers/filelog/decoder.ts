// Runs in the worker threads: unwraps the container runtime's framing (CRI or docker json-file),
// reassembles partial lines, and gives the runtime's timestamp as the observed time.

import type { LogRecord } from '../../agent/pipeline/record.ts';
import type { DecodeLines, DecoderState } from '../../agent/pool/decoder.ts';
import { rawRecord } from '../../agent/pool/raw-decoder.ts';
import { PARSE_ERROR_ATTRIBUTE } from '../../agent/pool/task.ts';
import { parseRfc3339Nano } from './timestamp.ts';

export interface DecoderOptions {
  format: 'auto' | 'cri' | 'docker' | 'raw';
  /** Cap on a record joined from partial pieces (max_log_size). */
  maxLogSize: number;
  /** Streams whose first piece in the batch continues a run cut at max_log_size in the batch before. */
  continued?: string[];
}

// `<time> <stream> <P|F> <message>`; the tag field may carry more flags after P/F (`F:x`).
const CRI = /^(\S+) (stdout|stderr) ([PF])(?::\S*)? ?(.*)$/s;

interface Partial {
  text: string;
  time: bigint;
  cut: boolean;
}

export function createDecoder(options: DecoderOptions): DecodeLines {
  return (lines, out, state) => {
    // Partials are joined per stream within the batch; a batch ends at a line end of the file.
    const partial = new Map<string, Partial>();
    const cutHead = new Set(options.continued);
    for (const line of lines) {
      const format = options.format === 'auto' ? detect(line) : options.format;
      if (format === 'cri') decodeCri(line, out, state, partial, options, cutHead);
      else if (format === 'docker') decodeDocker(line, out, state, partial, options, cutHead);
      else out.push(rawRecord(line, state.observedTimeUnixNano));
    }
    for (const [stream, p] of partial) out.push(record(p.text, p.time, stream, options, true));
  };
}

function detect(line: string): DecoderOptions['format'] {
  if (line.startsWith('{"log":')) return 'docker';
  return CRI.test(line) ? 'cri' : 'raw';
}

function decodeCri(
  line: string,
  out: LogRecord[],
  state: DecoderState,
  partial: Map<string, Partial>,
  o: DecoderOptions,
  cutHead: Set<string>,
) {
  const m = CRI.exec(line);
  if (!m) {
    const r = rawRecord(line, state.observedTimeUnixNano);
    r.attributes[PARSE_ERROR_ATTRIBUTE] = 'not a CRI log line: expected "<time> <stream> <P|F> <message>"';
    out.push(r);
    return;
  }
  const time = parseRfc3339Nano(m[1]!) ?? state.observedTimeUnixNano;
  join(m[2]!, m[4]!, m[3] === 'P', time, out, partial, o, cutHead);
}

function decodeDocker(
  line: string,
  out: LogRecord[],
  state: DecoderState,
  partial: Map<string, Partial>,
  o: DecoderOptions,
  cutHead: Set<string>,
) {
  let entry: { log?: unknown; stream?: unknown; time?: unknown };
  try {
    entry = JSON.parse(line);
  } catch {
    const r = rawRecord(line, state.observedTimeUnixNano);
    r.attributes[PARSE_ERROR_ATTRIBUTE] = 'not a docker json-file line: invalid JSON';
    out.push(r);
    return;
  }
  const log = typeof entry.log === 'string' ? entry.log : '';
  const stream = typeof entry.stream === 'string' ? entry.stream : 'stdout';
  const time = (typeof entry.time === 'string' && parseRfc3339Nano(entry.time)) || state.observedTimeUnixNano;
  // docker splits long lines at 16 KiB; every piece but the last lacks the trailing newline.
  const complete = log.endsWith('\n');
  join(stream, complete ? log.slice(0, -1) : log, !complete, time, out, partial, o, cutHead);
}

function join(
  stream: string,
  text: string,
  isPartial: boolean,
  time: bigint,
  out: LogRecord[],
  partial: Map<string, Partial>,
  o: DecoderOptions,
  cutHead: Set<string>,
) {
  const open = partial.get(stream);
  const whole = open ? open.text + text : text;
  const start = open ? open.time : time;
  const cut = open ? open.cut : cutHead.delete(stream);
  if (isPartial && whole.length < o.maxLogSize) {
    partial.set(stream, { text: whole, time: start, cut });
    return;
  }
  partial.delete(stream);
  out.push(record(whole, start, stream, o, isPartial || cut));
}

function record(text: string, time: bigint, stream: string, o: DecoderOptions, cut: boolean): LogRecord {
  const body = text.length > o.maxLogSize ? text.slice(0, o.maxLogSize) : text;
  const r = rawRecord(body, time);
  r.attributes['log.iostream'] = stream;
  if (cut || body.length < text.length) r.attributes['meshtail.log.truncated'] = true;
  return r;
}
