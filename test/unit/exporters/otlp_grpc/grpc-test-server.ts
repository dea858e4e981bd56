// A real @grpc/grpc-js server on 127.0.0.1 with raw (identity) handlers for the three OTLP Export
// methods. Each call is recorded, then answered by the test's `answer` function.
import {
  Metadata,
  Server,
  type ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';

export interface ReceivedCall {
  path: string;
  bytes: Buffer;
  metadata: Record<string, unknown>;
}

export type Answer = { ok: Buffer } | { code: number; message: string; statusDetails?: Buffer };

export interface GrpcTestServer {
  port: number;
  calls: ReceivedCall[];
  answer: (call: ReceivedCall, n: number) => Answer;
  close(): Promise<void>;
}

const PATHS = [
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
];

export async function startGrpcServer(creds: ServerCredentials, port = 0): Promise<GrpcTestServer> {
  const server = new Server();
  const state: GrpcTestServer = {
    port: 0,
    calls: [],
    answer: () => ({ ok: Buffer.alloc(0) }),
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
  for (const path of PATHS) {
    const handler = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
      const received = { path, bytes: call.request, metadata: call.metadata.getMap() };
      state.calls.push(received);
      const a = state.answer(received, state.calls.length);
      if ('ok' in a) return callback(null, a.ok);
      const trailers = new Metadata();
      if (a.statusDetails) trailers.set('grpc-status-details-bin', a.statusDetails);
      callback({ code: a.code, details: a.message, metadata: trailers });
    };
    server.register(
      path,
      handler,
      (b: Buffer) => b,
      (b: Buffer) => b,
      'unary',
    );
  }
  state.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, creds, (err, port) => (err ? reject(err) : resolve(port))),
  );
  return state;
}
