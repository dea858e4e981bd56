// Reads the Collector's file exporter output (one OTLP/JSON ExportLogsServiceRequest per line)
// incrementally: each poll reads only the bytes appended since the last one, in fixed chunks, so a
// million records are counted and checked without holding the file or its records in memory.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export type Attributes = Record<string, unknown>;

export interface ReceivedLog {
  body: string;
  attributes: Attributes;
  resource: Attributes;
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
}

const CHUNK = 1 << 20;

export class OutputReader {
  /** Log records seen so far, across every file. */
  records = 0;
  /** Lines that did not parse: only a Collector killed mid-write leaves one, at the end of its file. */
  tornLines = 0;
  readonly #offsets = new Map<string, number>();
  readonly #pending = new Map<string, Buffer>();
  readonly #buffer = Buffer.allocUnsafe(CHUNK);

  /** Reads what was appended to `paths` since the last call; calls `visit` for each new record. */
  poll(paths: string[], visit?: (r: ReceivedLog) => void): number {
    for (const path of paths) {
      if (!existsSync(path)) continue;
      const fd = openSync(path, 'r');
      try {
        let offset = this.#offsets.get(path) ?? 0;
        for (let n = readSync(fd, this.#buffer, 0, CHUNK, offset); n > 0; ) {
          offset += n;
          this.#split(path, this.#buffer.subarray(0, n), visit);
          n = readSync(fd, this.#buffer, 0, CHUNK, offset);
        }
        this.#offsets.set(path, offset);
      } finally {
        closeSync(fd);
      }
    }
    return this.records;
  }

  /** Counts what is left without a line end (a killed Collector's last write) as torn. */
  finish(): void {
    for (const rest of this.#pending.values()) if (rest.length > 0) this.tornLines++;
    this.#pending.clear();
  }

  #split(path: string, chunk: Buffer, visit?: (r: ReceivedLog) => void) {
    let data = chunk;
    const rest = this.#pending.get(path);
    if (rest?.length) data = Buffer.concat([rest, chunk]);
    let start = 0;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
      this.#line(data.toString('utf8', start, nl), visit);
      start = nl + 1;
    }
    // Copy the tail: `chunk` is the reused read buffer.
    this.#pending.set(path, Buffer.from(data.subarray(start)));
  }

  #line(line: string, visit?: (r: ReceivedLog) => void) {
    if (line.length === 0) return;
    let request: { resourceLogs?: ResourceLogs[] };
    try {
      request = JSON.parse(line);
    } catch {
      this.tornLines++;
      return;
    }
    for (const rl of request.resourceLogs ?? []) {
      const resource = flatten(rl.resource?.attributes);
      for (const sl of rl.scopeLogs ?? []) {
        for (const lr of sl.logRecords ?? []) {
          this.records++;
          visit?.({
            body: String(anyValue(lr.body) ?? ''),
            attributes: flatten(lr.attributes),
            resource,
            timeUnixNano: lr.timeUnixNano,
            observedTimeUnixNano: lr.observedTimeUnixNano,
          });
        }
      }
    }
  }
}

interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
interface ResourceLogs {
  resource?: { attributes?: KeyValue[] };
  scopeLogs?: {
    logRecords?: {
      body?: AnyValue;
      attributes?: KeyValue[];
      timeUnixNano?: string;
      observedTimeUnixNano?: string;
    }[];
  }[];
}

/** OTLP/JSON attributes as a plain object; int64 values (JSON strings) become numbers. */
export function flatten(list: KeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function anyValue(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue) return flatten(v.kvlistValue.values);
  return undefined;
}
