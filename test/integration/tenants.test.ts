// Two tenants in one batch reach the real OpenTelemetry Collector as two requests, each carrying its
// tenant in X-Scope-OrgID (made visible by the Collector's tenant-header variant: include_metadata +
// the resource processor's from_context), over otlp_grpc and otlp_http; records without a tenant
// (a pipeline without rbac) arrive without the header.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.ts';
import { Registry } from '../../agent/registry.ts';
import { otlpGrpcFactory } from '../../exporters/otlp_grpc/factory.ts';
import { otlpHttpFactory } from '../../exporters/otlp_http/factory.ts';
import { meshParseFactory } from '../../processors/mesh_parse/factory.ts';
import { rbacFactory } from '../../processors/rbac/factory.ts';
import { filelogFactory } from '../../receivers/filelog/factory.ts';
import { agentConfig } from '../support/agent-config.ts';
import { Collector, RECEIVED_TENANT_ATTRIBUTE, requireCollector } from '../support/collector.ts';

requireCollector();

const POLICY = `roles:
  sre: { description: every record }
rules:
  - { name: acme, match: { path: /acme/* }, tenant: acme }
  - { name: globex, match: { path: /globex/* }, tenant: globex }
default: { tenant: shared, classification: internal, audience: [sre] }
`;

function istioLine(path: string): string {
  return `[2022-07-20T09:52:24.955Z] "GET ${path} HTTP/1.1" 200 - via_upstream - "-" 0 178 2 1 "-" "curl/8" "785918d6-06b6-9312-bf77-6d9bd968dc21" "details:9080" "10.68.2.10:9080" inbound|9080|| 127.0.0.6:47889 10.68.2.10:9080 10.68.1.7:39696 outbound_.9080_._.details.default.svc.cluster.local default\n`;
}

interface Request {
  header: unknown;
  tenants: unknown[];
}

/** One Collector output line per request it received (no batch processor in the variant). */
function requests(paths: readonly string[]): Request[] {
  const out: Request[] = [];
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      for (const rl of JSON.parse(line).resourceLogs ?? []) {
        const attrs = (list: { key: string; value: { stringValue?: string } }[] = []) =>
          Object.fromEntries(list.map((a) => [a.key, a.value.stringValue]));
        const records = (rl.scopeLogs ?? []).flatMap((s: { logRecords?: unknown[] }) => s.logRecords ?? []);
        out.push({
          header: attrs(rl.resource?.attributes)[RECEIVED_TENANT_ATTRIBUTE],
          tenants: records.map((r: { attributes?: [] }) => attrs(r.attributes)['meshtail.tenant']),
        });
      }
    }
  }
  return out;
}

describe('tenants at the real Collector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-tenants-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one request per tenant with its X-Scope-OrgID; no tenant, no header', async () => {
    const collector = await Collector.start(join(dir, 'collector'), 'tenant-header');
    const pod = (name: string, lines: string[]) => {
      const podDir = join(dir, 'logs', name, `shop_${name}_uid-${name}`, 'istio-proxy');
      mkdirSync(podDir, { recursive: true });
      writeFileSync(join(podDir, '0.log'), lines.join(''));
    };
    // One file, read as one batch: acme and globex interleaved.
    pod('tenants', ['/acme/1', '/globex/1', '/acme/2', '/globex/2', '/acme/3'].map(istioLine));
    pod('plain', ['/acme/9', '/x/9'].map(istioLine));

    const registry = new Registry([
      filelogFactory,
      meshParseFactory,
      rbacFactory,
      otlpGrpcFactory,
      otlpHttpFactory,
    ]);
    const filelog = (name: string) => ({
      include: [join(dir, 'logs', name, '*', '*', '*.log')],
      start_at: 'beginning',
      poll_interval: '20ms',
    });
    const header = { tenant_header: 'X-Scope-OrgID' };
    const config = agentConfig(registry, {
      receivers: { 'filelog/tenants': filelog('tenants'), 'filelog/plain': filelog('plain') },
      processors: { mesh_parse: {}, rbac: { policy_inline: POLICY } },
      exporters: {
        otlp_grpc: { endpoint: collector.grpcEndpoint, tls: { insecure: true }, ...header },
        otlp_http: { endpoint: collector.httpEndpoint, ...header },
        'otlp_grpc/plain': { endpoint: collector.grpcEndpoint, tls: { insecure: true }, ...header },
      },
      service: {
        data_dir: join(dir, 'state'),
        workers: { threads: 1 },
        pipelines: {
          'logs/tenants': {
            receivers: ['filelog/tenants'],
            processors: ['mesh_parse', 'rbac'],
            exporters: ['otlp_grpc', 'otlp_http'],
          },
          'logs/plain': {
            receivers: ['filelog/plain'],
            processors: ['mesh_parse'],
            exporters: ['otlp_grpc/plain'],
          },
        },
      },
    });
    const agent = new Agent(config, registry, { logger: pino({ level: 'silent' }) });
    try {
      await agent.start();
      expect(await collector.waitForRecords(5 * 2 + 2, 30_000)).toBe(12);
    } finally {
      await agent.shutdown(5000);
      await collector.stop();
    }

    const received = requests(collector.outputs);
    const sorted = received.map((r) => ({ ...r, tenants: [...r.tenants].sort() }));
    const key = (r: Request) =>
      `${String(r.header ?? 'no header')}:${r.tenants.map((t) => t ?? 'no tenant').join(',')}`;
    // Two exporters, each: one request for acme (3 records), one for globex (2); plus the plain one.
    expect(sorted.map(key).sort()).toEqual([
      'acme:acme,acme,acme',
      'acme:acme,acme,acme',
      'globex:globex,globex',
      'globex:globex,globex',
      'no header:no tenant,no tenant',
    ]);
    for (const r of received.filter((x) => x.header !== undefined))
      expect(new Set(r.tenants)).toEqual(new Set([r.header]));
  }, 60_000);
});
