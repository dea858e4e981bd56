// Follows the file exporter's output (one OTLP/JSON ExportLogsServiceRequest per line) by offset:
// each poll reads only the bytes appended since the last one and parses only complete lines, so the
// live view sees what actually left the pipeline without ever re-reading the file.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};
interface ExportLogsLine {
  resourceLogs?: {
    scopeLogs?: { logRecords?: { attributes?: { key: string; value: AnyValue }[] }[] }[];
  }[];
}

/** A record's attributes with OTLP/JSON's value wrappers removed (intValue, a string in JSON, as a number). */
export type ExportedAttributes = Record<string, unknown>;

const CHUNK = 1024 * 1024;

export class ExportTail {
  readonly #path: string;
  #fd: number | undefined;
  #offset = 0;
  /** The start of a line the exporter has not finished writing yet. */
  #partial: Buffer = Buffer.alloc(0);
  readonly #buf = Buffer.allocUnsafe(CHUNK);

  constructor(path: string) {
    this.#path = path;
  }

  /** The records appended since the last poll, in file order. */
  poll(): ExportedAttributes[] {
    if (this.#fd === undefined) {
      if (!existsSync(this.#path)) return [];
      this.#fd = openSync(this.#path, 'r');
    }
    const size = fstatSync(this.#fd).size;
    const out: ExportedAttributes[] = [];
    while (this.#offset < size) {
      const n = readSync(this.#fd, this.#buf, 0, Math.min(CHUNK, size - this.#offset), this.#offset);
      if (n === 0) break;
      this.#offset += n;
      const data =
        this.#partial.length > 0
          ? Buffer.concat([this.#partial, this.#buf.subarray(0, n)])
          : this.#buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        if (nl > start) collect(data.toString('utf8', start, nl), out);
        start = nl + 1;
      }
      // Copied: the read buffer is reused by the next read.
      this.#partial = Buffer.from(data.subarray(start));
    }
    return out;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function collect(line: string, out: ExportedAttributes[]): void {
  const request = JSON.parse(line) as ExportLogsLine;
  for (const rl of request.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const r of sl.logRecords ?? []) {
        const a: ExportedAttributes = {};
        for (const kv of r.attributes ?? []) a[kv.key] = plain(kv.value);
        out.push(a);
      }
}

function plain(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plain);
  return undefined;
}
