// An OTLP/HTTP logs sink that only counts: log records per request, and those that carry a given
// attribute key (the mark of a parsed line). It walks the protobuf wire format without decoding
// values, so the harness spends little of the CPU the measured agents share. gzip and zstd bodies
// are decompressed (one that does not decode is answered 400). Every other request is answered
// 200 with an empty ExportLogsServiceResponse.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';

export class OtlpCountSink {
  records = 0;
  parsed = 0;
  requests = 0;
  /** Attribute key counted in `parsed`; set before each run. */
  parsedKey = '';
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<OtlpCountSink> {
    const server = createServer();
    const sink = new OtlpCountSink(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        const encoding = req.headers['content-encoding'];
        try {
          if (encoding === 'gzip') body = gunzipSync(body);
          else if (encoding === 'zstd') body = zstdDecompressSync(body);
        } catch (err) {
          // A body that does not decode is the agent's error to see (a permanent 400), not a crash here.
          res.writeHead(400, { 'content-type': 'text/plain' }).end(`${encoding}: ${(err as Error).message}`);
          return;
        }
        sink.requests++;
        sink.#count(body);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  reset(parsedKey: string): void {
    this.records = 0;
    this.parsed = 0;
    this.requests = 0;
    this.parsedKey = parsedKey;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  // ExportLogsServiceRequest.resource_logs(1) → ResourceLogs.scope_logs(2) → ScopeLogs.log_records(2)
  // → LogRecord.attributes(6) → KeyValue.key(1).
  #count(body: Buffer): void {
    const key = Buffer.from(this.parsedKey);
    for (const [f, rs, re] of fields(body, 0, body.length)) {
      if (f !== 1) continue;
      for (const [g, ss, se] of fields(body, rs, re)) {
        if (g !== 2) continue;
        for (const [h, ls, le] of fields(body, ss, se)) {
          if (h !== 2) continue;
          this.records++;
          if (key.length > 0 && hasAttribute(body, ls, le, key)) this.parsed++;
        }
      }
    }
  }
}

function hasAttribute(buf: Buffer, start: number, end: number, key: Buffer): boolean {
  for (const [f, as, ae] of fields(buf, start, end)) {
    if (f !== 6) continue;
    for (const [g, ks, ke] of fields(buf, as, ae)) {
      if (g === 1 && ke - ks === key.length && buf.compare(key, 0, key.length, ks, ke) === 0) return true;
    }
  }
  return false;
}

/** Length-delimited fields of a message as [field number, start, end]; other wire types skipped. */
function* fields(buf: Buffer, start: number, end: number): Generator<[number, number, number]> {
  let i = start;
  while (i < end) {
    let tag = 0;
    [tag, i] = varint(buf, i);
    const wire = tag & 7;
    if (wire === 0) [, i] = varint(buf, i);
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      let len = 0;
      [len, i] = varint(buf, i);
      yield [tag >>> 3, i, i + len];
      i += len;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
}

function varint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 1;
  let i = at;
  for (;;) {
    const b = buf[i++]!;
    value += (b & 0x7f) * shift;
    if (b < 0x80) return [value, i];
    shift *= 128;
  }
}
