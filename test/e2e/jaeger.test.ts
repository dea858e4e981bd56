// Traces from access logs in Jaeger v2: the demo's sidecar traffic (CRI-framed in a pods directory)
// through filelog → mesh_parse → spans → otlp_grpc into Jaeger (in-memory, loopback), then the
// two-hop trace of one request through Jaeger's query API: the caller's client span and the callee's
// server span in one trace, the server span a child of the client span, each under its workload.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.ts';
import { loadConfigText } from '../../agent/config/load-config.ts';
import { defaultRegistry } from '../../agent/default-registry.ts';
import { formatConfigError } from '../../agent/kit/config/config-error.ts';
import { MESH_PARSE_YAML, type WrittenTraffic, writeDemoPods } from '../support/demo-pods.ts';
import { derivedRegistry } from '../support/derived-registry.ts';
import { freePort } from '../support/free-port.ts';
import { Jaeger, type JaegerSpan, type JaegerTrace, requireJaeger } from '../support/jaeger.ts';
import { MeshtailProcess } from '../support/meshtail-process.ts';

requireJaeger();

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : '');
const tag = (s: JaegerSpan, key: string) => s.tags.find((t) => t.key === key)?.value;

describe('traces from access logs in Jaeger', () => {
  let dir: string;
  let jaeger: Jaeger;
  let agent: Agent | undefined;
  let child: MeshtailProcess | undefined;
  let written: WrittenTraffic;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshtail-jaeger-'));
    jaeger = await Jaeger.start(join(dir, 'jaeger'));
    written = writeDemoPods(join(dir, 'pods'), 400);
  }, 60_000);

  afterAll(async () => {
    await child?.stop('SIGTERM', 10_000);
    await agent?.shutdown(5000);
    await jaeger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the two-hop trace of a demo request', async () => {
    const adminPort = await freePort();
    const yaml = `receivers:
  filelog: { include: [${JSON.stringify(written.include)}], start_at: beginning, format: cri, poll_interval: 50ms }
processors:
  mesh_parse: ${MESH_PARSE_YAML}
  spans: { routes: ["/details/{id}", "/reviews/{id}", "/ratings/{id}", "/productpage"] }
exporters:
  otlp_grpc: { endpoint: ${jaeger.otlpGrpcEndpoint}, tls: { insecure: true } }
service:
  data_dir: ${JSON.stringify(join(dir, 'state'))}
  telemetry: { metrics: { address: 127.0.0.1:${adminPort} } }
  pipelines:
    traces: { receivers: [filelog], processors: [mesh_parse, spans], exporters: [otlp_grpc] }
`;
    const file = join(dir, 'meshtail.yaml');
    writeFileSync(file, yaml);
    if (defaultRegistry.processor('spans')) {
      // Wired into the default registry: run it as a user does.
      child = await MeshtailProcess.start(file, adminPort, join(dir, 'meshtail.log'));
    } else {
      const registry = derivedRegistry();
      const loaded = loadConfigText(yaml, file, registry);
      if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
      agent = new Agent(loaded.config, registry, { logger: pino({ level: 'warn' }) });
      await agent.start();
    }

    // One call productpage → details that both sidecars logged (the caller's outbound, the callee's inbound).
    const inbound = written.records.find(
      ({ record: r }) =>
        r.attributes['mesh.direction'] === 'inbound' &&
        r.attributes['mesh.destination.service'] === 'details' &&
        r.attributes['http.response.status_code'] === 200,
    )!.record;
    const rid = inbound.attributes['http.request.header.x-request-id'];
    const outbound = written.records.find(
      ({ record: r }) =>
        r.attributes['mesh.direction'] === 'outbound' &&
        r.attributes['mesh.destination.service'] === 'details' &&
        r.attributes['http.request.header.x-request-id'] === rid,
    )?.record;
    expect(outbound).toBeDefined();
    const traceId = hex(inbound.traceId);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // Found by service, as a user searches the UI, then read whole.
    let listed: JaegerTrace | undefined;
    let trace: JaegerTrace | undefined;
    const end = Date.now() + 45_000;
    while (Date.now() < end) {
      listed = (await jaeger.traces('details-v1')).find((t) => t.traceID === traceId);
      if (listed) {
        trace = await jaeger.trace(traceId);
        const ops = trace?.spans.filter((s) => s.operationName === 'GET /details/{id}') ?? [];
        if (ops.length >= 2) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await jaeger.services()).toEqual(expect.arrayContaining(['details-v1', 'productpage-v1']));
    expect(listed, `trace ${traceId} not listed for service details-v1`).toBeDefined();
    expect(trace).toBeDefined();
    const hop = trace!.spans.filter((s) => s.operationName === 'GET /details/{id}');
    const client = hop.find((s) => tag(s, 'span.kind') === 'client')!;
    const server = hop.find((s) => tag(s, 'span.kind') === 'server')!;
    expect(client).toBeDefined();
    expect(server).toBeDefined();
    expect(client.traceID).toBe(server.traceID);
    expect(server.references).toContainEqual(
      expect.objectContaining({ refType: 'CHILD_OF', spanID: client.spanID, traceID: client.traceID }),
    );
    expect(trace!.processes[client.processID]!.serviceName).toBe('productpage-v1');
    expect(trace!.processes[server.processID]!.serviceName).toBe('details-v1');
    expect(tag(server, 'http.response.status_code')).toBe(200);
    expect(tag(server, 'url.path')).toBe('/details/0');
    expect(tag(client, 'http.request.header.x-request-id')).toBe(rid);
    // The whole user request is one trace: the gateway's call to productpage is in it too.
    expect(trace!.spans.some((s) => s.operationName === 'GET /productpage')).toBe(true);
  }, 90_000);
});
