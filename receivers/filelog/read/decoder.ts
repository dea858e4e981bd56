// Runs in the worker threads: unwraps the container runtime's framing (CRI or docker json-file),
// reassembles partial lines, and gives the runtime's timestamp as the observed time.

import { PARSE_ERROR_ATTRIBUTE } from '../../../agent/kit/attributes.ts';
import type { LogRecord } from '../../../agent/kit/record/record.ts';
import type { DecodeLines, DecoderState } from '../../../agent/kit/worker/decoder.ts';
import { rawRecord } from '../../../agent/kit/worker/raw-decoder.ts';
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

/** No stream continues a cut run (the usual batch): join's delete on it finds nothing. */
const NONE_CUT: Set<string> = new Set();

interface Partial {
  text: string;
  time: bigint;
  cut: boolean;
}

export function createDecoder(options: DecoderOptions): DecodeLines {
  return (lines, out, state) => {
    // Partials are joined per stream within the batch; a batch ends at a line end of the file.
    const partial = new Map<string, Partial>();
    const cutHead = options.continued ? new Set(options.continued) : NONE_CUT;
    const quick = options.format === 'auto' || options.format === 'cri';
    for (const line of lines) {
      if (quick && quickCri(line)) {
        join(qStream, qMessage, qPartial, qTime, out, partial, options, cutHead);
        continue;
      }
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

// What quickCri found, read by the caller right after: no object per line.
let qTime = 0n;
let qStream = '';
let qPartial = false;
let qMessage = '';

/**
 * The usual CRI line (a valid timestamp, `stdout`/`stderr`, `P`/`F` with ASCII flags) read without
 * the regex, which the auto-detection's test and the decoder's exec each ran (bench/cri-decode.bench.ts).
 * False for anything else, which the regex then judges: a line
 * quickCri takes is one CRI matches, split the same way (test/unit/receivers/filelog/cri-quick.test.ts).
 */
function quickCri(line: string): boolean {
  const sp = line.indexOf(' ');
  if (sp < 20) return false;
  const time = parseRfc3339Nano(line, 0, sp);
  if (time === undefined) return false;
  let p = sp + 1;
  if (line.startsWith('stdout ', p)) qStream = 'stdout';
  else if (line.startsWith('stderr ', p)) qStream = 'stderr';
  else return false;
  p += 7;
  const tag = line.charCodeAt(p);
  if (tag !== 80 && tag !== 70) return false; // P, F
  p++;
  if (line.charCodeAt(p) === 58) {
    // ':' and more flags: printable ASCII up to a space or the end
    for (p++; p < line.length; p++) {
      const c = line.charCodeAt(p);
      if (c === 32) break;
      if (c < 33 || c > 126) return false;
    }
  }
  if (line.charCodeAt(p) === 32) p++;
  qTime = time;
  qPartial = tag === 80;
  qMessage = line.slice(p);
  return true;
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
